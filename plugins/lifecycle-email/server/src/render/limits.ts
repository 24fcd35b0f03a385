import { MjmlValidationError, TemplateRejectedError } from './errors';
import type { TemplateOrigin } from './unresolved';

/**
 * Bounds on what one template may cost to compile. Handlebars compile time grows with the
 * number of expressions (~0.4 s per 1,000 on one core here), and MJML, Handlebars and the
 * HTML parser recurse per nesting level (3,000 nested {{#if}} or 5,000 nested <div> overflow
 * the stack). So they are checked here, in one linear scan each, before anything compiles.
 */
export interface TemplateLimits {
  /** UTF-8 bytes of subject + preheader + MJML with its partials + text override */
  maxBytes: number;
  /** Handlebars expressions ({{...}}) in all parts together */
  maxExpressions: number;
  /** nested Handlebars blocks ({{#if}}, {{#each}}, ...) */
  maxBlockDepth: number;
  /** nested MJML/HTML elements */
  maxTagDepth: number;
  /** wall time for one compile (and preview render) in the worker before it is stopped */
  compileTimeoutMs: number;
}

/** The default templates use ~1 KB, 15 expressions, 2 block levels and 8 tag levels. */
export const DEFAULT_LIMITS: TemplateLimits = {
  maxBytes: 150_000,
  maxExpressions: 1_000,
  maxBlockDepth: 20,
  maxTagDepth: 100,
  compileTimeoutMs: 5_000,
};

/** What the compiler gets: the MJML with partials and preheader in, and the Handlebars parts. */
export interface CompileInput {
  source: string;
  subject: string;
  text?: string;
  /** the MJML as written (and the partials it includes): unresolved variables get its lines */
  origin?: TemplateOrigin;
}

export interface TemplateParts {
  subject: string;
  preheader?: string;
  mjml: string;
  text?: string;
  partials?: Record<string, string>;
}

const PARTIAL_REF = /\{\{>\s*([\w-]+)\s*\}\}/g;

/** MJML partials must be inlined before MJML parses the document (Handlebars runs after). */
export function expandPartials(mjml: string, partials: Record<string, string>): string {
  return mjml.replace(PARTIAL_REF, (_, name: string) => {
    const partial = partials[name];
    if (partial === undefined) {
      throw new MjmlValidationError([{ line: 0, tagName: 'partial', message: `unknown partial "${name}" (known: ${Object.keys(partials).join(', ') || 'none'})` }]);
    }
    return partial;
  });
}

/**
 * The preheader (inbox preview text) becomes the document's <mj-preview>, replacing one the
 * MJML may already have. It is text: markup characters are escaped, placeholders kept.
 */
export function applyPreheader(mjml: string, preheader: string | undefined): string {
  if (!preheader) return mjml;
  const preview = `<mj-preview>${preheader.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</mj-preview>`;
  if (/<mj-preview>[\s\S]*?<\/mj-preview>/.test(mjml)) return mjml.replace(/<mj-preview>[\s\S]*?<\/mj-preview>/, () => preview);
  if (/<mj-head>/.test(mjml)) return mjml.replace('<mj-head>', () => `<mj-head>${preview}`);
  return mjml.replace(/<mjml([^>]*)>/, (m) => `${m}<mj-head>${preview}</mj-head>`);
}

const kb = (bytes: number) => `${Math.round(bytes / 1000)} KB`;

/** Counts `{{` openings ({{{x}}} is one). */
export function countExpressions(s: string): number {
  let n = 0;
  for (let i = s.indexOf('{{'); i !== -1; i = s.indexOf('{{', i)) {
    n += 1;
    i += 2;
    while (s.charCodeAt(i) === 123 /* { */) i += 1;
  }
  return n;
}

/** Deepest nesting of Handlebars blocks: {{#x}} / {{^x}} open, {{/x}} closes; {{^}} is an else. */
export function blockDepth(s: string): number {
  const re = /\{\{~?\s*([#^/])(\s*~?\}\})?/g;
  let depth = 0;
  let max = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[1] === '/') depth = Math.max(0, depth - 1);
    else if (!m[2]) max = Math.max(max, ++depth);
  }
  return max;
}

/** Elements that never have a closing tag in HTML. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'mj-image', 'mj-divider', 'mj-spacer', 'mj-preview']);
/** HTML elements a sibling of the same name closes (<p>a<p>b): not counted as nesting. */
const SELF_SIBLING = new Set(['p', 'li', 'td', 'th', 'tr', 'option', 'dt', 'dd']);

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** letters, digits, "-", ".", ":" and "_" (tag names such as mj-text, o:p) */
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 58) || c === 45 || c === 46 || c === 95;

/**
 * Deepest element nesting, forgiving like a browser: a closing tag closes everything opened
 * inside it, unmatched closing tags are ignored. Stops as soon as `cap` is exceeded. A hand
 * scanner (indexOf and char codes): a regex per tag cost ~15 ms on 140 KB here.
 */
export function tagDepth(s: string, cap = Number.POSITIVE_INFINITY): number {
  const stack: string[] = [];
  let max = 0;
  // the next ">" (-2: not searched yet) is searched again only once passed: the scan stays linear
  let gt = -2;
  for (let i = s.indexOf('<'); i !== -1 && max <= cap; ) {
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end === -1) break;
      i = s.indexOf('<', end + 3);
      continue;
    }
    const closing = s.charCodeAt(i + 1) === 47; /* / */
    const nameStart = i + (closing ? 2 : 1);
    let j = nameStart;
    while (j < s.length && isNameChar(s.charCodeAt(j))) j += 1;
    const next = s.indexOf('<', i + 1);
    if (gt !== -1 && gt < j) gt = s.indexOf('>', j);
    if (gt === -1) break; // no ">" left: no tag either
    const end = gt;
    // not a tag: no name, or no ">" before the next "<"
    if (j === nameStart || !isLetter(s.charCodeAt(nameStart)) || (next !== -1 && next < end)) {
      i = next;
      continue;
    }
    const name = s.slice(nameStart, j).toLowerCase();
    if (closing) {
      const at = stack.lastIndexOf(name);
      if (at !== -1) stack.length = at;
    } else if (s.charCodeAt(end - 1) !== 47 && !VOID.has(name) && !(SELF_SIBLING.has(name) && stack[stack.length - 1] === name)) {
      stack.push(name);
      max = Math.max(max, stack.length);
    }
    i = next;
  }
  return max;
}

const stripComments = (s: string) => s.replace(/<!--[\s\S]*?(-->|$)/g, '');
const excerpt = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * One <mjml> document with a body, and nothing around it: MJML itself answers the rest with
 * a bare "Malformed MJML", silently drops text after </mjml>, or throws a TypeError.
 */
function checkStructure(source: string): void {
  const malformed = (message: string) => new TemplateRejectedError('malformed', `Malformed MJML: ${message}`);
  const start = source.indexOf('<mjml');
  const before = stripComments(source.slice(0, Math.max(0, start))).replace(/<\?xml[^>]*\?>/, '').trim();
  if (start === -1 || before !== '' || !/^<mjml[\s>]/.test(source.slice(start))) {
    throw malformed(`the document must start with <mjml> (found ${excerpt(stripComments(source).trim() || 'nothing')})`);
  }
  const end = source.lastIndexOf('</mjml>');
  if (end === -1) throw malformed('the closing </mjml> is missing');
  const after = stripComments(source.slice(end + '</mjml>'.length)).trim();
  if (after !== '') throw malformed(`text after </mjml>: ${excerpt(after)}`);
  if (!/<mj-body[\s/>]/.test(source)) throw malformed('<mj-body> is missing (an email needs a body)');
}

/**
 * Checks a template against the limits and returns what the compiler needs. Linear in the
 * input, so it is safe on the event loop; it never builds a string larger than maxBytes.
 * @throws TemplateRejectedError naming the limit, MjmlValidationError for an unknown partial
 */
export function checkTemplate(t: TemplateParts, limits: TemplateLimits): CompileInput {
  const partials = t.partials ?? {};
  let bytes = Buffer.byteLength(t.mjml) + Buffer.byteLength(t.subject) + Buffer.byteLength(t.preheader ?? '') + Buffer.byteLength(t.text ?? '');
  // partials count once per inclusion: 1,000 × {{> footer}} would otherwise expand to megabytes
  for (const m of t.mjml.matchAll(PARTIAL_REF)) bytes += Buffer.byteLength(partials[m[1]] ?? '');
  if (bytes > limits.maxBytes) {
    throw new TemplateRejectedError('size', `Template too large: ${kb(bytes)} with partials (limit ${kb(limits.maxBytes)})`);
  }
  const source = applyPreheader(expandPartials(t.mjml, partials), t.preheader);
  const parts = [source, t.subject, t.text ?? ''];
  const expressions = parts.reduce((n, p) => n + countExpressions(p), 0);
  if (expressions > limits.maxExpressions) {
    throw new TemplateRejectedError('expressions', `Too many Handlebars expressions: ${expressions} (limit ${limits.maxExpressions})`);
  }
  const blocks = Math.max(...parts.map(blockDepth));
  if (blocks > limits.maxBlockDepth) {
    throw new TemplateRejectedError('depth', `Handlebars blocks nested too deeply: ${blocks} levels (limit ${limits.maxBlockDepth})`);
  }
  checkStructure(source);
  const tags = tagDepth(source, limits.maxTagDepth);
  if (tags > limits.maxTagDepth) {
    throw new TemplateRejectedError('depth', `Elements nested too deeply: more than ${limits.maxTagDepth} levels (limit ${limits.maxTagDepth})`);
  }
  const used = Object.fromEntries([...t.mjml.matchAll(PARTIAL_REF)].map((m) => [m[1], partials[m[1]]]));
  return { source, subject: t.subject, text: t.text, origin: { mjml: t.mjml, preheader: t.preheader, partials: used } };
}
