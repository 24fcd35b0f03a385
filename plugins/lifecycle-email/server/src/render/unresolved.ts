import Handlebars from 'handlebars';
import type { UnresolvedVariable } from './errors';
import { createHandlebars, STRICT } from './helpers';

/** Where the author wrote the template: the body before partials and preheader went in. */
export interface TemplateOrigin {
  mjml: string;
  preheader?: string;
  /** the partials the body includes, by name */
  partials?: Record<string, string>;
}

type Miss = { name: string; line: number; column: number };
type Container = { strict(obj: unknown, name: string, loc: unknown): unknown; lookupProperty(parent: unknown, name: string): unknown };
type Spec = { main: (this: unknown, container: Container, ...rest: unknown[]) => string };

/** The render under audit (synchronous: no two audits interleave). */
let misses: Miss[] = [];

const has = (obj: unknown, name: string) => obj !== null && (typeof obj === 'object' || typeof obj === 'function') && name in (obj as object);

/**
 * A Handlebars environment whose strict lookups record a missing variable and go on (it
 * renders blank) instead of throwing at the first one, so one render finds them all. Strict
 * lookups are `container.strict` in the compiled code; the container is handed to `main`.
 */
function auditEnvironment(): typeof Handlebars {
  const env = createHandlebars();
  const template = env.template.bind(env);
  (env as unknown as { template(spec: Spec): unknown }).template = (spec: Spec) => {
    const main = spec.main;
    spec.main = function (container, ...rest) {
      const lookup = container.lookupProperty;
      // a.b.c with no a: Handlebars reads b of undefined (TypeError); the audit goes on
      container.lookupProperty = (parent, name) => (parent == null ? undefined : lookup(parent, name));
      container.strict = (obj, name, loc) => {
        if (has(obj, name)) return container.lookupProperty(obj, name);
        const start = (loc as { start?: { line: number; column: number } } | undefined)?.start;
        misses.push({ name, line: start?.line ?? 0, column: start?.column ?? 0 });
        return undefined;
      };
      return main.call(this, container, ...rest);
    };
    return template(spec as never);
  };
  return env;
}

let auditEnv: typeof Handlebars | undefined;

/** Every placeholder (path as written) of a Handlebars source, by its start line and column. */
function paths(source: string): Array<{ name: string; line: number; column: number }> {
  const out: Array<{ name: string; line: number; column: number }> = [];
  class Collect extends Handlebars.Visitor {
    PathExpression(node: hbs.AST.PathExpression) {
      out.push({ name: node.original, line: node.loc.start.line, column: node.loc.start.column });
    }
  }
  try {
    new Collect().accept(Handlebars.parse(source));
  } catch {
    // not Handlebars-parsable (only the compiled form is checked): no lines from it
  }
  return out;
}

/** One part under audit: compiled and parsed once, on its first failing render. */
function auditPart(source: string): (data: Record<string, unknown>) => Array<{ name: string; line: number }> {
  let render: ((data: Record<string, unknown>) => string) | undefined;
  let written: Map<string, string> | undefined;
  return (data) => {
    auditEnv ??= auditEnvironment();
    render ??= auditEnv.compile(source, STRICT);
    misses = [];
    try {
      render(data);
    } catch {
      // anything else going wrong: what was found so far still counts
    }
    const found = misses;
    misses = [];
    if (found.length === 0) return [];
    written ??= new Map(paths(source).map((p) => [`${p.line}:${p.column}`, p.name]));
    return found.map((m) => ({ name: written?.get(`${m.line}:${m.column}`) ?? m.name, line: m.line }));
  };
}

/** Lines of `source` that hold each placeholder, by name. */
function lineIndex(source: string | undefined): Map<string, number[]> {
  const index = new Map<string, number[]>();
  for (const p of source ? paths(source) : []) {
    const lines = index.get(p.name) ?? [];
    if (!lines.includes(p.line)) lines.push(p.line);
    index.set(p.name, lines);
  }
  return index;
}

export interface AuditInput {
  subject: string;
  /** the compiled HTML (placeholders kept) */
  html: string;
  /** a hand-written text part (the derived one repeats the HTML's placeholders) */
  text?: string;
  origin?: TemplateOrigin;
}

/**
 * Finds every variable the data lacks, by name, with the lines the author wrote it on: the
 * HTML's are placed in the MJML source (or the preheader, or a partial) by name, since MJML
 * moves and re-indents the markup. For the error path: the parts are compiled again (once per
 * template version, on the first failure; a campaign failing for every recipient pays it once).
 */
export function createAudit(input: AuditInput): (data: Record<string, unknown>) => UnresolvedVariable[] {
  const subject = auditPart(input.subject);
  const html = auditPart(input.html);
  const text = input.text === undefined ? undefined : auditPart(input.text);
  let places: ((name: string) => UnresolvedVariable) | undefined;
  return (data) => {
    const found = new Map<string, UnresolvedVariable>();
    const add = (v: UnresolvedVariable) => {
      const key = `${v.part}\u0000${v.partial ?? ''}\u0000${v.name}`;
      const seen = found.get(key);
      if (seen) seen.lines = [...new Set([...seen.lines, ...v.lines])].sort((a, b) => a - b);
      else found.set(key, { ...v, lines: [...v.lines].sort((a, b) => a - b) });
    };
    for (const m of subject(data)) add({ name: m.name, part: 'subject', lines: [m.line] });
    const inHtml = html(data);
    if (inHtml.length > 0) places ??= placer(input.origin);
    for (const { name } of inHtml) add((places as (name: string) => UnresolvedVariable)(name));
    for (const m of text?.(data) ?? []) add({ name: m.name, part: 'text', lines: [m.line] });
    return [...found.values()];
  };
}

/** Where a placeholder of the compiled HTML is written: the body, else the preheader, else a partial. */
function placer(origin: TemplateOrigin | undefined): (name: string) => UnresolvedVariable {
  const body = lineIndex(origin?.mjml);
  const preheader = lineIndex(origin?.preheader);
  const partials = Object.entries(origin?.partials ?? {}).map(([partial, source]) => [partial, lineIndex(source)] as const);
  return (name) => {
    const inBody = body.get(name);
    if (inBody) return { name, part: 'mjml', lines: inBody };
    if (preheader.has(name)) return { name, part: 'preheader', lines: [1] };
    for (const [partial, index] of partials) {
      const lines = index.get(name);
      if (lines) return { name, part: 'mjml', partial, lines };
    }
    return { name, part: 'mjml', lines: [] };
  };
}
