import { createHash, randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { RenderedEmail } from '../render/compile';
import { RenderEngine, type TemplateVersion } from '../render/engine';
import { describeUnresolved, MjmlValidationError, TemplateRejectedError, type UnresolvedVariable, UnresolvedVariableError } from '../render/errors';
import { describeForeign, type ForeignPlaceholder, findForeignPlaceholders } from '../render/foreign';
import { type CompileInput, checkTemplate, type TemplateParts } from '../render/limits';
import { LruCache } from '../render/lru';
import { CompilePool, PoolBusyError } from '../render/pool';
import { DEFAULT_RENDER_SETTINGS, type RenderSettings } from '../render/settings';
import { PARTIAL_UID, PLUGIN_ID, TEMPLATE_UID } from '../utils/constants';

const WRITE_ACTIONS = new Set(['create', 'update']);
const RESOLVE_TTL_MS = 5_000;

export interface PreviewInput {
  subject: string;
  preheader?: string | null;
  mjml: string;
  textOverride?: string | null;
  data: Record<string, unknown>;
}

export interface PreviewResult extends Partial<RenderedEmail> {
  /** MJML issues: the template cannot render */
  errors: Array<{ line: number; message: string }>;
  /** what the admin should look at, one sentence each (unresolved variables, foreign placeholders) */
  warnings: string[];
  /** every variable the data lacks, where it is written (a send with this data would fail) */
  unresolved: UnresolvedVariable[];
  /** placeholders of other email tools ([[PERMALINK]], *|FNAME|*, %%name%%): sent as written */
  foreign: ForeignPlaceholder[];
}

const contentHash = (input: CompileInput) => createHash('sha256').update(JSON.stringify([input.source, input.subject, input.text ?? null])).digest('base64');

/**
 * A template that cannot compile (limits, malformed, too slow) and a full compile queue are
 * the caller's problem, not the server's: 400 naming the limit, or 429.
 */
function toHttpError(error: unknown): unknown {
  if (error instanceof TemplateRejectedError) {
    return new errors.ValidationError(error.message, { reason: error.reason, errors: [{ path: ['mjml'], message: error.message, name: 'ValidationError' }] });
  }
  if (error instanceof PoolBusyError) return new errors.RateLimitError(error.message);
  return error;
}

/**
 * Email templates in the CMS: MJML is validated on every save (an invalid template is
 * refused with line numbers, so it never reaches a recipient) and each save gets a new
 * version, which is what the send cache is keyed by. Previews and save validation compile
 * in worker threads with a time limit (render/pool.ts), after the cheap limit checks
 * (render/limits.ts) on the event loop; sending compiles in-process (RenderEngine).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  // read on every call, so a changed limit (config or test) applies to the next compile
  const settings = (): RenderSettings => ({ ...DEFAULT_RENDER_SETTINGS, ...(strapi.plugin(PLUGIN_ID).config('render') as Partial<RenderSettings> | undefined) });
  const initial = settings();
  const engine = new RenderEngine({ limits: initial, maxCached: initial.sendCacheMax });
  const valid = new LruCache<string, true>(initial.validationCacheMax);
  let pool: CompilePool | undefined;
  const resolved = new LruCache<string, { value: TemplateVersion | null; until: number }>(200);
  const compilePool = () => {
    const s = settings();
    pool ??= new CompilePool({ size: s.workers, timeoutMs: s.compileTimeoutMs, maxQueue: s.maxQueue, maxHeapMb: s.workerHeapMb, maxCachedPerWorker: s.previewCacheMax });
    return pool;
  };

  /** Only a template that includes one ({{> name}}) costs the query. */
  const partials = async (mjml: string): Promise<Record<string, string>> => {
    if (!mjml.includes('{{>')) return {};
    const rows = (await strapi.documents(PARTIAL_UID).findMany({ limit: 200 })) as unknown as Array<{ name: string; mjml: string }>;
    return Object.fromEntries(rows.map((p) => [p.name, p.mjml]));
  };

  /**
   * Limits on the event loop, then MJML + Handlebars in a worker; unchanged content that
   * compiled before is not compiled again.
   * @throws MjmlValidationError, TemplateRejectedError, PoolBusyError
   */
  const validate = async (t: TemplateParts): Promise<void> => {
    const s = settings();
    const input = checkTemplate(t, s);
    const key = contentHash(input);
    if (valid.get(key)) return;
    await compilePool().run({ kind: 'validate', input }, s.compileTimeoutMs);
    valid.set(key, true);
  };

  return {
    engine,

    /** Cache sizes and caps (tests assert the caps hold; also useful when diagnosing memory). */
    async cacheStats() {
      return { send: engine.cacheStats, validation: { size: valid.size, max: valid.max }, preview: pool ? await pool.stats() : [], workerRestarts: pool?.restarts ?? 0 };
    },

    /** Document Service middleware: validate the template and stamp a new version on each save. */
    guardWrites(): void {
      strapi.documents.use(async (ctx, next) => {
        if (ctx.uid !== TEMPLATE_UID || !WRITE_ACTIONS.has(ctx.action)) return next();
        const params = ctx.params as { data?: Record<string, any> };
        const data = params.data ?? {};
        if (typeof data.mjml === 'string') {
          const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
          try {
            await validate({ subject: String(data.subject ?? ''), preheader: str(data.preheader), mjml: data.mjml, text: str(data.textOverride), partials: await partials(data.mjml) });
          } catch (error) {
            if (error instanceof MjmlValidationError) {
              throw new errors.ValidationError(error.message, { errors: error.issues.map((i) => ({ path: ['mjml'], message: `line ${i.line}: ${i.message}`, name: 'ValidationError' })) });
            }
            throw toHttpError(error);
          }
        }
        params.data = { ...data, version: `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}` };
        return next();
      });
    },

    /**
     * Renders unsaved form values for the admin preview. MJML issues (with lines) and missing
     * variables come back in the result; a template that cannot compile at all is a 400.
     */
    async preview(input: PreviewInput): Promise<PreviewResult> {
      const s = settings();
      const template = { subject: input.subject, preheader: input.preheader ?? undefined, mjml: input.mjml, text: input.textOverride ?? undefined, partials: await partials(input.mjml) };
      const foreign = findForeignPlaceholders({ subject: input.subject, preheader: input.preheader, mjml: input.mjml, text: input.textOverride });
      const result = (unresolved: UnresolvedVariable[], rendered: Partial<RenderedEmail> = {}, errors: PreviewResult['errors'] = []): PreviewResult => ({
        ...rendered,
        errors,
        warnings: [...unresolved.map((v) => `Unresolved variable ${describeUnresolved(v)}`), ...foreign.map(describeForeign)],
        unresolved,
        foreign,
      });
      try {
        const compileInput = checkTemplate(template, s);
        return result([], (await compilePool().run({ kind: 'preview', input: compileInput, data: input.data }, s.compileTimeoutMs)) as RenderedEmail);
      } catch (error) {
        if (error instanceof MjmlValidationError) return result([], {}, error.issues.map((i) => ({ line: i.line, message: i.message })));
        if (error instanceof UnresolvedVariableError) {
          // a failure the audit could not place (e.g. a.b.c under a missing a in a helper) keeps its message
          return error.variables.length > 0 ? result(error.variables) : { ...result([]), warnings: [error.message, ...result([]).warnings] };
        }
        throw toHttpError(error);
      }
    },

    /**
     * The saved template a send uses: by document id or name, in `locale`, else in the
     * default locale. Kept a few seconds so a 100K campaign does not query it per message
     * (a save shows up in the next sends after that).
     */
    async resolve(key: string, locale: string | null): Promise<TemplateVersion | null> {
      const cacheKey = `${key}\u0000${locale ?? ''}`;
      const hit = resolved.get(cacheKey);
      if (hit && hit.until > Date.now()) return hit.value;
      const find = (loc: string | undefined) =>
        strapi.documents(TEMPLATE_UID).findFirst({ filters: { $or: [{ documentId: key }, { name: key }] }, ...(loc ? { locale: loc } : {}) } as never) as Promise<any>;
      let t = locale ? await find(locale) : null;
      t ??= await find(undefined);
      const value: TemplateVersion | null = t
        ? { id: `${t.documentId}:${t.locale}`, version: t.version ?? t.updatedAt ?? '0', subject: t.subject, preheader: t.preheader ?? undefined, mjml: t.mjml, text: t.textOverride ?? undefined, partials: await partials(t.mjml) }
        : null;
      resolved.set(cacheKey, { value, until: Date.now() + RESOLVE_TTL_MS });
      return value;
    },

    /** Stops the compile workers (plugin destroy). */
    async close(): Promise<void> {
      await pool?.close();
      pool = undefined;
    },
  };
};
