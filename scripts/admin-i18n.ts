/**
 * Checks that Moat's admin screens speak the admin user's language (issue 12):
 *
 * - `checkParity`: every plugin's `admin/src/translations/<locale>.json` holds the same keys in
 *   every language. Keys of the Content Manager (its ids for a content type's name and field
 *   labels) are the exception: English has none of them, so the labels an admin sets in
 *   "Configure the view" keep showing in English; every other language must name every field
 *   of every content type of the plugin.
 * - `checkSource`: no user-visible text is written into the admin code itself — no JSX text with
 *   letters, no string literal with letters as a user-visible prop (label, title, aria-label …)
 *   or as a JSX child, no `defaultMessage` outside a message descriptor — and every message id
 *   the code names exists in the English file with the same English text.
 *
 * `npm test` runs both (scripts/__tests__/admin-i18n.test.ts); `npx tsx scripts/admin-i18n.ts`
 * prints the findings.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface Finding {
  file: string;
  line?: number;
  message: string;
}

/** props whose string value a person reads or hears (screen readers read aria-label and title) */
const VISIBLE_PROPS = new Set(['label', 'placeholder', 'title', 'subtitle', 'aria-label', 'aria-description', 'alt', 'hint', 'description', 'error', 'content', 'emptyStateMessage', 'startAction', 'endAction']);

/**
 * Technical strings a person may see but that are the same in every language: URLs and paths,
 * email address examples, identifiers (`main_shop`), CSS selectors and code.
 */
const TECHNICAL = [/^(https?:\/\/|\/)\S*$/, /^[\w.+-]+@[\w.-]+$/, /^[a-z0-9]+([_-][a-z0-9]+)+$/, /^(https?:\/\/\S+\s*)+$/];

const hasLetters = (text: string) => /\p{L}/u.test(text);
/** reads like words for people, not a value: a capital then small letters ("Remove", "Inquiry (RFQ)"), or words with spaces */
const isProse = (text: string) => hasLetters(text) && !isTechnical(text) && (/^\p{Lu}\p{Ll}/u.test(text.trim()) || /\p{L}\s+\p{L}/u.test(text));
const isTechnical = (text: string) => TECHNICAL.some((re) => re.test(text.trim()));

export const CM_PREFIX = 'content-manager.content-types.';

/** a message key the Content Manager itself asks for: `content-manager.content-types.<uid>.<field>` or a content type's display name */
const isContentManagerKey = (key: string, displayNames: Set<string>) => key.startsWith(CM_PREFIX) || displayNames.has(key);

export interface ContentTypeInfo {
  uid: string;
  displayName: string;
  attributes: string[];
}

/** the content types a plugin declares (server/src/content-types/<name>/schema.json) */
export function contentTypesOf(pluginDir: string, pluginId: string): ContentTypeInfo[] {
  const dir = join(pluginDir, 'server', 'src', 'content-types');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'schema.json')))
    .map((e) => {
      const schema = JSON.parse(readFileSync(join(dir, e.name, 'schema.json'), 'utf8'));
      return { uid: `plugin::${pluginId}.${schema.info.singularName}`, displayName: schema.info.displayName, attributes: Object.keys(schema.attributes) };
    });
}

/**
 * Same keys in every language (Content Manager keys aside, see above); keys carry the plugin id;
 * no empty text; every non-English language names every content type and field of the plugin.
 */
export function checkParity(pluginId: string, files: Record<string, Record<string, string>>, contentTypes: ContentTypeInfo[], file = pluginId): Finding[] {
  const findings: Finding[] = [];
  const displayNames = new Set(contentTypes.map((c) => c.displayName));
  const en = files.en;
  if (!en) return [{ file, message: 'no en.json' }];
  const own = (data: Record<string, string>) => Object.keys(data).filter((k) => !isContentManagerKey(k, displayNames));
  for (const [locale, data] of Object.entries(files)) {
    for (const [key, value] of Object.entries(data)) {
      if (typeof value !== 'string' || !value.trim()) findings.push({ file, message: `${locale}: "${key}" has no text` });
      if (!isContentManagerKey(key, displayNames) && !key.startsWith(`${pluginId}.`)) findings.push({ file, message: `${locale}: "${key}" does not start with "${pluginId}."` });
      if (key.startsWith(CM_PREFIX) && !contentTypes.some((c) => key.startsWith(`${CM_PREFIX}${c.uid}.`)))
        findings.push({ file, message: `${locale}: "${key}" names no content type of ${pluginId}` });
    }
    if (locale === 'en') {
      for (const key of Object.keys(data).filter((k) => isContentManagerKey(k, displayNames)))
        findings.push({ file, message: `en: "${key}" would hide the labels admins set in the Content Manager; leave English to the schema` });
      continue;
    }
    const keys = new Set(own(data));
    for (const key of own(en)) if (!keys.has(key)) findings.push({ file, message: `${locale}: missing "${key}" (in en)` });
    for (const key of keys) if (!(key in en)) findings.push({ file, message: `${locale}: "${key}" is not in en` });
    for (const ct of contentTypes) {
      if (!(ct.displayName in data)) findings.push({ file, message: `${locale}: missing the name of ${ct.uid} ("${ct.displayName}")` });
      for (const attr of ct.attributes) if (!(`${CM_PREFIX}${ct.uid}.${attr}` in data)) findings.push({ file, message: `${locale}: missing "${CM_PREFIX}${ct.uid}.${attr}"` });
    }
  }
  return findings;
}

const propName = (name: ts.PropertyName | ts.JsxAttributeName) => (ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : ts.isJsxNamespacedName(name) ? `${name.namespace.text}:${name.name.text}` : '');

/** the string literals a value can end up as, through `a ? 'x' : 'y'`, `a ?? 'x'`, `a || 'x'`, parentheses and templates */
function literalsOf(node: ts.Expression): ts.Node[] {
  if (ts.isParenthesizedExpression(node)) return literalsOf(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return [node];
  if (ts.isConditionalExpression(node)) return [...literalsOf(node.whenTrue), ...literalsOf(node.whenFalse)];
  if (ts.isBinaryExpression(node) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.PlusToken].includes(node.operatorToken.kind))
    return [...literalsOf(node.left), ...literalsOf(node.right)];
  return [];
}

/** the text of a literal a person would read (a template's fixed parts) */
function textOf(node: ts.Node): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return '';
}

/** `formatMessage(…)` / `intl.formatMessage(…)` */
const isFormatMessageCall = (node: ts.Node): node is ts.CallExpression =>
  ts.isCallExpression(node) &&
  ((ts.isIdentifier(node.expression) && node.expression.text === 'formatMessage') || (ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'formatMessage'));

/**
 * Findings for one TSX/TS source of a plugin's admin. `en` (the plugin's English file) lets it
 * check that each literal message id exists there with the same English text as its defaultMessage.
 */
export function checkSource(fileName: string, source: string, en?: Record<string, string>): Finding[] {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const report = (node: ts.Node, message: string) => findings.push({ file: fileName, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1, message });
  const flagLiterals = (expr: ts.Expression, where: string) => {
    for (const lit of literalsOf(expr)) {
      const text = textOf(lit);
      if (hasLetters(text) && !isTechnical(text)) report(lit, `${where}: "${text.trim()}" is not translated (use formatMessage)`);
    }
  };

  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && hasLetters(node.text)) report(node, `JSX text "${node.text.trim()}" is not translated (use formatMessage)`);
    // {cond ? 'Remove' : 'Cancel'} as a child of an element
    if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) flagLiterals(node.expression, 'JSX child');
    if (ts.isJsxAttribute(node) && VISIBLE_PROPS.has(propName(node.name)) && node.initializer) {
      const name = propName(node.name);
      if (ts.isStringLiteral(node.initializer)) flagLiterals(node.initializer, `prop ${name}`);
      else if (ts.isJsxExpression(node.initializer) && node.initializer.expression) flagLiterals(node.initializer.expression, `prop ${name}`);
    }
    // { title: 'Email preview', … } handed to Strapi (side panels, menu links, notifications)
    if (ts.isPropertyAssignment(node) && VISIBLE_PROPS.has(propName(node.name))) flagLiterals(node.initializer, `property ${propName(node.name)}`);
    if (ts.isPropertyAssignment(node) && propName(node.name) === 'defaultMessage') {
      // only in a message descriptor: an object with a literal id, formatMessage's or an intlLabel
      const object = node.parent;
      const id = object.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propName(p.name) === 'id');
      if (!id) report(node, 'defaultMessage outside a message descriptor ({ id, defaultMessage })');
      else if (ts.isStringLiteral(id.initializer) && en) {
        const expected = ts.isStringLiteral(node.initializer) || ts.isNoSubstitutionTemplateLiteral(node.initializer) ? node.initializer.text : undefined;
        if (!(id.initializer.text in en)) report(id, `message id "${id.initializer.text}" is not in en.json`);
        else if (expected !== undefined && en[id.initializer.text] !== expected) report(node, `defaultMessage of "${id.initializer.text}" differs from en.json ("${en[id.initializer.text]}")`);
      }
    }
    // labels kept in a list (`['When', 'Type']`, `[['inquiry', 'Inquiry (RFQ)']]`) or put into state (`setStatus('Sending…')`)
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) && isProse(textOf(node))) {
      const parent = node.parent;
      const setter = ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && /^set[A-Z]/.test(parent.expression.text) && parent.arguments.includes(node as ts.Expression);
      if (ts.isArrayLiteralExpression(parent) || setter) report(node, `${setter ? 'state' : 'list'}: "${textOf(node).trim()}" is not translated (use formatMessage)`);
    }
    // a toast: toggleNotification({ message: 'Saved' })
    if (ts.isPropertyAssignment(node) && propName(node.name) === 'message' && ts.isObjectLiteralExpression(node.parent) && !isFormatMessageCall(node.parent.parent))
      flagLiterals(node.initializer, 'property message');
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === '__tests__' ? [] : filesUnder(join(dir, e.name))) : [join(dir, e.name)]));
}

/** Both checks over every plugin with an admin part. */
export function checkRepo(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const plugin of readdirSync(join(root, 'plugins'))) {
    const pluginDir = join(root, 'plugins', plugin);
    const adminDir = join(pluginDir, 'admin', 'src');
    if (!existsSync(adminDir)) continue;
    const pkg = JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8'));
    const pluginId: string = pkg.strapi?.name ?? plugin;
    const dir = join(adminDir, 'translations');
    const files: Record<string, Record<string, string>> = {};
    for (const f of existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')) : []) files[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    findings.push(...checkParity(pluginId, files, contentTypesOf(pluginDir, pluginId), relative(root, dir)));
    if (!files['zh-Hans']) findings.push({ file: relative(root, dir), message: 'no zh-Hans.json' });
    for (const file of filesUnder(adminDir).filter((f) => /\.tsx?$/.test(f))) findings.push(...checkSource(relative(root, file), readFileSync(file, 'utf8'), files.en));
  }
  return findings;
}

if (process.argv[1] && /admin-i18n\.ts$/.test(process.argv[1])) {
  const findings = checkRepo(join(__dirname, '..'));
  for (const f of findings) console.log(`${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`);
  console.log(findings.length ? `${findings.length} finding(s)` : 'admin translations: ok');
  process.exit(findings.length ? 1 : 0);
}
