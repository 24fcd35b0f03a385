import { randomUUID } from 'node:crypto';
import Handlebars from 'handlebars';
import { convert } from 'html-to-text';
import mjml2html from 'mjml';
import { MjmlValidationError, UnresolvedVariableError } from './errors';
import { registerHelpers } from './helpers';

export interface TemplateVersion {
  /** stable template id (document id + locale) */
  id: string;
  /** changes on every save; the cache key */
  version: string | number;
  subject: string;
  preheader?: string;
  mjml: string;
  /** optional hand-written text part; otherwise derived from the HTML */
  text?: string;
  /**
   * shared MJML fragments (header, footer) included with {{> name}}; they are expanded
   * before MJML runs, so the caller must fold their versions into `version`
   */
  partials?: Record<string, string>;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface PreparedTemplate {
  /** @throws UnresolvedVariableError when the data lacks a variable the template uses */
  render(data: Record<string, unknown>): RenderedEmail;
}

type Part = 'subject' | 'html' | 'text';
type Compiled = Record<Part, Handlebars.TemplateDelegate> & {
  /** the three parts in one call, joined by SEPARATOR (see `prepare`) */
  all: Handlebars.TemplateDelegate;
};

/**
 * Random per process: no recipient value can contain the separator that joins the parts in
 * the one-call render, and no template can name (and so recurse into) its partials.
 */
const TOKEN = randomUUID().replace(/-/g, '');
const SEPARATOR = `\u001e${TOKEN}\u001f`;
const PARTIAL = { subject: `subject${TOKEN}`, html: `html${TOKEN}`, text: `text${TOKEN}` };

/** MJML partials must be inlined before MJML parses the document (Handlebars runs after). */
function expandPartials(mjml: string, partials: Record<string, string>): string {
  return mjml.replace(/\{\{>\s*([\w-]+)\s*\}\}/g, (_, name: string) => {
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

/**
 * One Handlebars instance, configured once with the domain helpers. Prototype access stays
 * at Handlebars' default (denied); no runtime options are passed per render, because each
 * options object makes Handlebars rebuild its access control on every call.
 */
const hbs = Handlebars.create();
registerHelpers(hbs);

/**
 * Compile once, personalize fast: MJML runs once per template version (strict validation),
 * producing HTML that still holds the Handlebars placeholders; subject, HTML and text are
 * then compiled Handlebars functions cached by version, so a recipient costs microseconds.
 */
export class RenderEngine {
  private readonly cache = new Map<string, Promise<Compiled>>();
  /** how many times MJML ran (tests prove it runs once per version) */
  mjmlCompiles = 0;

  private compile(t: TemplateVersion): Promise<Compiled> {
    const key = `${t.id}@${t.version}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      // a new version replaces the old ones of the same template
      for (const k of this.cache.keys()) if (k.startsWith(`${t.id}@`)) this.cache.delete(k);
      compiled = this.compileUncached(t);
      this.cache.set(key, compiled);
      compiled.catch(() => this.cache.delete(key));
    }
    return compiled;
  }

  private async compileUncached(t: TemplateVersion): Promise<Compiled> {
    this.mjmlCompiles += 1;
    const source = applyPreheader(expandPartials(t.mjml, t.partials ?? {}), t.preheader);
    type Issue = { line: number; tagName: string; message: string };
    const toError = (errors: Issue[]) => new MjmlValidationError(errors.map((e) => ({ line: e.line, tagName: e.tagName, message: e.message })));
    // strict mode throws an error carrying `errors`; other levels return them
    const result = await mjml2html(source, { validationLevel: 'strict', keepComments: false }).catch((error: { errors?: Issue[] }) => {
      throw Array.isArray(error?.errors) ? toError(error.errors) : error;
    });
    if (result.errors.length > 0) throw toError(result.errors as Issue[]);
    // knownHelpers lets Handlebars call the domain helpers directly instead of looking them up
    const strict = { strict: true, knownHelpers: { money: true, date: true, pluralize: true, fallback: true } };
    const text = t.text ?? convert(result.html, { wordwrap: 78, selectors: [{ selector: 'img', format: 'skip' }] });
    const parts = {
      subject: hbs.compile(t.subject, { ...strict, noEscape: true }),
      html: hbs.compile(result.html, strict),
      text: hbs.compile(text, { ...strict, noEscape: true }),
    };
    // Each top-level Handlebars call rebuilds its helper table and prototype access control
    // (~2 µs, as much as rendering a whole subject); calls as partials reuse the caller's.
    // So one template calls the three as partials, each keeping its own escaping.
    const env = Handlebars.create();
    registerHelpers(env);
    env.registerPartial({ [PARTIAL.subject]: parts.subject, [PARTIAL.html]: parts.html, [PARTIAL.text]: parts.text });
    const all = env.compile(`{{> ${PARTIAL.subject}}}${SEPARATOR}{{> ${PARTIAL.html}}}${SEPARATOR}{{> ${PARTIAL.text}}}`, strict);
    return { ...parts, all };
  }

  /** Validates and compiles a version (on save); throws MjmlValidationError with line numbers. */
  async validate(t: TemplateVersion): Promise<void> {
    await this.compile(t);
  }

  /**
   * The compiled form of a version, for personalizing many recipients in a loop: `render`
   * is synchronous and costs microseconds (senders prepare once per batch).
   * @throws MjmlValidationError when the template is invalid
   */
  async prepare(t: TemplateVersion): Promise<PreparedTemplate> {
    const c = await this.compile(t);
    const run = (part: Part, data: Record<string, unknown>) => {
      try {
        return c[part](data);
      } catch (error) {
        throw new UnresolvedVariableError(part, error as Error);
      }
    };
    return {
      render: (data) => {
        let out: string;
        try {
          out = c.all(data);
        } catch (error) {
          // name the part that failed: run them one by one (the error path only)
          for (const part of ['subject', 'html', 'text'] as const) run(part, data);
          throw error;
        }
        const a = out.indexOf(SEPARATOR);
        const b = out.indexOf(SEPARATOR, a + SEPARATOR.length);
        return { subject: out.slice(0, a), html: out.slice(a + SEPARATOR.length, b), text: out.slice(b + SEPARATOR.length) };
      },
    };
  }

  /**
   * Personalizes one message.
   * @throws MjmlValidationError when the template is invalid
   * @throws UnresolvedVariableError when the data lacks a variable the template uses
   */
  async render(t: TemplateVersion, data: Record<string, unknown>): Promise<RenderedEmail> {
    return (await this.prepare(t)).render(data);
  }
}
