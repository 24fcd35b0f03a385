import { randomUUID } from 'node:crypto';
import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import mjml2html from 'mjml';
import { MjmlValidationError, TemplateRejectedError, type UnresolvedVariable, UnresolvedVariableError } from './errors';
import { ALLOWED_HELPERS, createHandlebars, STRICT } from './helpers';
import type { CompileInput } from './limits';
import { createAudit } from './unresolved';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Part = 'subject' | 'html' | 'text';
export type Compiled = Record<Part, Handlebars.TemplateDelegate> & {
  /** the three parts in one Handlebars call, each output kept apart (see `compileTemplate`) */
  all(data: Record<string, unknown>): RenderedEmail;
  /** every variable the data lacks, where it is written (the error path; compiles on first use) */
  unresolved(data: Record<string, unknown>): UnresolvedVariable[];
};

/**
 * Random per process (and per worker): no template can name (and so recurse into) the
 * partials and the capture helper of the one-call render.
 */
const TOKEN = randomUUID().replace(/-/g, '');
/**
 * The derived text part: no images; no hidden elements (MJML renders <mj-preview> as a
 * display:none div, which must not become the first line); headings keep their case (the
 * placeholders in them are protected anyway, see `deriveText`).
 */
const TEXT_SELECTORS = [
  { selector: 'img', format: 'skip' },
  { selector: 'div[style*="display:none"]', format: 'skip' },
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
];

const PARTIAL = { subject: `subject${TOKEN}`, html: `html${TOKEN}`, text: `text${TOKEN}` };
const CAPTURE = `capture${TOKEN}`;

/** {{{raw}}} first, then {{...}} (comments and blocks included) */
const MUSTACHE = /\{\{\{[\s\S]*?\}\}\}|\{\{[\s\S]*?\}\}/g;
/**
 * Private-use characters around digits: no case, no spaces, nothing html-to-text changes;
 * padded to the width of a typical value (a name, a date, an amount): the text is wrapped
 * before values are known, so wrapping by the placeholder's own width (up to ~50 characters)
 * broke lines early, and no padding left them long.
 */
const PROTECTED = /\uE000(\d+)\uE002*\uE001/g;
const TYPICAL_VALUE = 12;
const ENTITIES: Record<string, string> = { '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/**
 * The text part from the compiled HTML, its placeholders taken out first and put back after:
 * html-to-text upper-cases some elements ({{FirstName}} became the unresolvable
 * {{FIRSTNAME}}), wraps long lines (inside a placeholder too) and decodes entities.
 */
export function deriveText(html: string): string {
  const held: string[] = [];
  const masked = html.replace(MUSTACHE, (m) => {
    const id = String(held.push(m) - 1);
    return `\uE000${id}${'\uE002'.repeat(Math.max(0, Math.min(m.length, TYPICAL_VALUE) - id.length - 2))}\uE001`;
  });
  const text = convert(masked, { wordwrap: 78, selectors: TEXT_SELECTORS });
  // inside an attribute MJML may have escaped the quotes of a string literal
  return text.replace(PROTECTED, (_, i: string) => held[Number(i)].replace(/&(quot|#39|#x27|lt|gt|amp);/g, (e) => ENTITIES[e]));
}

const hbs = createHandlebars();

/**
 * Refuses a call of a helper that does not exist here ({{log "x"}}, a typo), at save time,
 * instead of a "Missing helper" when the email is sent. A bare {{name}} is a variable.
 */
class HelperCheck extends Handlebars.Visitor {
  called(node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression): void {
    const path = node.path as hbs.AST.PathExpression;
    // {{name}} and a {{#section}} over data are lookups; arguments or (sub expression) make a call
    const isCall = node.type === 'SubExpression' || node.params.length > 0 || node.hash !== undefined;
    if (isCall && path.type === 'PathExpression' && path.parts.length === 1 && !path.data && !ALLOWED_HELPERS.has(path.original)) {
      throw new TemplateRejectedError('helper', `Handlebars helper "${path.original}" is not available in email templates (available: ${[...ALLOWED_HELPERS].join(', ')})`);
    }
  }
  MustacheStatement(node: hbs.AST.MustacheStatement) {
    this.called(node);
    return super.MustacheStatement(node);
  }
  BlockStatement(node: hbs.AST.BlockStatement) {
    this.called(node);
    return super.BlockStatement(node);
  }
  SubExpression(node: hbs.AST.SubExpression) {
    this.called(node);
    return super.SubExpression(node);
  }
}

/** Parses one part: syntax errors and unknown helpers become a TemplateRejectedError. */
function checkHandlebars(part: Part, source: string): void {
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    throw new TemplateRejectedError('malformed', `Handlebars syntax error in ${part}: ${(error as Error).message.split('\n')[0]}`);
  }
  new HelperCheck().accept(ast);
}

type Issue = { line: number; tagName: string; message: string };
const toValidationError = (errors: Issue[]) => new MjmlValidationError(errors.map((e) => ({ line: e.line, tagName: e.tagName, message: e.message })));

/** Runs MJML (strict validation); anything it throws besides validation issues is "malformed". */
async function runMjml(source: string): Promise<string> {
  const result = await mjml2html(source, { validationLevel: 'strict', keepComments: false, ignoreIncludes: true /* never read server files */ }).catch((error: { errors?: Issue[]; message?: string }) => {
    if (Array.isArray(error?.errors)) throw toValidationError(error.errors);
    if (error instanceof RangeError) throw new TemplateRejectedError('depth', 'Template nested too deeply to compile');
    throw new TemplateRejectedError('malformed', `Malformed MJML: ${String(error?.message ?? error)}`);
  });
  if (result.errors.length > 0) throw toValidationError(result.errors as Issue[]);
  return result.html;
}

/**
 * Compile once, personalize fast: MJML runs once per template version (strict validation),
 * producing HTML that still holds the Handlebars placeholders; subject, HTML and text are
 * then compiled Handlebars functions, so a recipient costs microseconds.
 * @throws MjmlValidationError (issues with line numbers), TemplateRejectedError
 */
export async function compileTemplate(input: CompileInput): Promise<Compiled> {
  const html = await runMjml(input.source);
  const text = input.text ?? deriveText(html);
  const sources = { subject: input.subject, html, text };
  for (const part of ['subject', 'html', 'text'] as const) checkHandlebars(part, sources[part]);
  const parts = {
    subject: hbs.compile(sources.subject, { ...STRICT, noEscape: true }),
    html: hbs.compile(sources.html, STRICT),
    text: hbs.compile(sources.text, { ...STRICT, noEscape: true }),
  };
  // Each top-level Handlebars call rebuilds its helper table and prototype access control
  // (~2 µs, as much as rendering a whole subject); calls as partials reuse the caller's.
  // So one template calls the three as partials, each keeping its own escaping, and a
  // capture helper keeps each output apart. Joining them into one string and splitting it
  // again made V8 flatten the whole output (~0.15-1 ms per render once the HTML passed
  // ~64K characters with any character above U+00FF: a long Chinese newsletter).
  let captured: string[] = [];
  const env = createHandlebars();
  env.registerPartial({ [PARTIAL.subject]: parts.subject, [PARTIAL.html]: parts.html, [PARTIAL.text]: parts.text });
  env.registerHelper(CAPTURE, function (this: unknown, options: Handlebars.HelperOptions) {
    captured.push(options.fn(this));
    return '';
  });
  const one = (partial: string) => `{{#${CAPTURE}}}{{> ${partial}}}{{/${CAPTURE}}}`;
  const template = env.compile(one(PARTIAL.subject) + one(PARTIAL.html) + one(PARTIAL.text), { ...STRICT, knownHelpers: { ...STRICT.knownHelpers, [CAPTURE]: true } });
  const all = (data: Record<string, unknown>): RenderedEmail => {
    captured = [];
    template(data);
    const [subject, html, text] = captured;
    captured = [];
    return { subject, html, text };
  };
  const unresolved = createAudit({ subject: sources.subject, html: sources.html, text: input.text, origin: input.origin });
  return { ...parts, all, unresolved };
}

/**
 * Personalizes one message with a compiled template; synchronous, microseconds.
 * @throws UnresolvedVariableError naming every variable the data lacks and where it is written
 */
export function personalize(c: Compiled, data: Record<string, unknown>): RenderedEmail {
  try {
    return c.all(data);
  } catch (error) {
    // name the part that failed: run them one by one (the error path only)
    for (const part of ['subject', 'html', 'text'] as const) {
      try {
        c[part](data);
      } catch (partError) {
        if (partError instanceof RangeError) throw new TemplateRejectedError('depth', 'Template nested too deeply to render');
        throw new UnresolvedVariableError(part, partError as Error, c.unresolved(data));
      }
    }
    throw error;
  }
}
