import { randomUUID } from 'node:crypto';
import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import mjml2html from 'mjml';
import { MjmlValidationError, TemplateRejectedError, UnresolvedVariableError } from './errors';
import { registerHelpers } from './helpers';
import type { CompileInput } from './limits';

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

type Part = 'subject' | 'html' | 'text';
export type Compiled = Record<Part, Handlebars.TemplateDelegate> & {
  /** the three parts in one call, joined by SEPARATOR (see `compileTemplate`) */
  all: Handlebars.TemplateDelegate;
};

/**
 * Random per process (and per worker): no recipient value can contain the separator that
 * joins the parts in the one-call render, and no template can name (and so recurse into)
 * its partials.
 */
const TOKEN = randomUUID().replace(/-/g, '');
/**
 * The derived text part: no images; no hidden elements (MJML renders <mj-preview> as a
 * display:none div, which must not become the first line); headings keep their case, because
 * html-to-text's default upper-casing turned {{FirstName}} into the unresolvable {{FIRSTNAME}}.
 */
const TEXT_SELECTORS = [
  { selector: 'img', format: 'skip' },
  { selector: 'div[style*="display:none"]', format: 'skip' },
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
];

const SEPARATOR = `\u001e${TOKEN}\u001f`;
const PARTIAL = { subject: `subject${TOKEN}`, html: `html${TOKEN}`, text: `text${TOKEN}` };

/**
 * The helpers a template may call: the domain helpers and the safe built-ins. `log` is
 * removed (it writes template-chosen text to the server console); `lookup` stays: it goes
 * through Handlebars' prototype access control like any other property read.
 */
const ALLOWED_HELPERS = new Set(['money', 'date', 'pluralize', 'fallback', 'if', 'unless', 'each', 'with', 'lookup']);

/**
 * A Handlebars environment with the domain helpers. Prototype access stays at Handlebars'
 * default (denied); no runtime options are passed per render, because each options object
 * makes Handlebars rebuild its access control on every call.
 */
export function createHandlebars(): typeof Handlebars {
  const env = Handlebars.create();
  env.unregisterHelper('log');
  registerHelpers(env);
  return env;
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
  const text = input.text ?? convert(html, { wordwrap: 78, selectors: TEXT_SELECTORS });
  const sources = { subject: input.subject, html, text };
  for (const part of ['subject', 'html', 'text'] as const) checkHandlebars(part, sources[part]);
  // knownHelpers lets Handlebars call the domain helpers directly instead of looking them up
  const strict = { strict: true, knownHelpers: { money: true, date: true, pluralize: true, fallback: true } };
  const parts = {
    subject: hbs.compile(sources.subject, { ...strict, noEscape: true }),
    html: hbs.compile(sources.html, strict),
    text: hbs.compile(sources.text, { ...strict, noEscape: true }),
  };
  // Each top-level Handlebars call rebuilds its helper table and prototype access control
  // (~2 µs, as much as rendering a whole subject); calls as partials reuse the caller's.
  // So one template calls the three as partials, each keeping its own escaping.
  const env = createHandlebars();
  env.registerPartial({ [PARTIAL.subject]: parts.subject, [PARTIAL.html]: parts.html, [PARTIAL.text]: parts.text });
  const all = env.compile(`{{> ${PARTIAL.subject}}}${SEPARATOR}{{> ${PARTIAL.html}}}${SEPARATOR}{{> ${PARTIAL.text}}}`, strict);
  return { ...parts, all };
}

/**
 * Personalizes one message with a compiled template; synchronous, microseconds.
 * @throws UnresolvedVariableError naming the part when the data lacks a variable
 */
export function personalize(c: Compiled, data: Record<string, unknown>): RenderedEmail {
  let out: string;
  try {
    out = c.all(data);
  } catch (error) {
    // name the part that failed: run them one by one (the error path only)
    for (const part of ['subject', 'html', 'text'] as const) {
      try {
        c[part](data);
      } catch (partError) {
        if (partError instanceof RangeError) throw new TemplateRejectedError('depth', 'Template nested too deeply to render');
        throw new UnresolvedVariableError(part, partError as Error);
      }
    }
    throw error;
  }
  const a = out.indexOf(SEPARATOR);
  const b = out.indexOf(SEPARATOR, a + SEPARATOR.length);
  return { subject: out.slice(0, a), html: out.slice(a + SEPARATOR.length, b), text: out.slice(b + SEPARATOR.length) };
}
