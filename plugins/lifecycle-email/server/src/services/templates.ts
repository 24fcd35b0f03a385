import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { RenderEngine, type RenderedEmail } from '../render/engine';
import { MjmlValidationError, UnresolvedVariableError } from '../render/errors';
import { PARTIAL_UID, TEMPLATE_UID } from '../utils/constants';

const WRITE_ACTIONS = new Set(['create', 'update']);

export interface PreviewInput {
  subject: string;
  preheader?: string | null;
  mjml: string;
  textOverride?: string | null;
  data: Record<string, unknown>;
}

export interface PreviewResult extends Partial<RenderedEmail> {
  errors: Array<{ line: number; message: string }>;
  warnings: string[];
}

/**
 * Email templates in the CMS: MJML is validated on every save (an invalid template is
 * refused with line numbers, so it never reaches a recipient) and each save gets a new
 * version, which is what the render cache is keyed by.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const engine = new RenderEngine();

  const partials = async (): Promise<Record<string, string>> => {
    const rows = (await strapi.documents(PARTIAL_UID).findMany({ limit: 200 })) as unknown as Array<{ name: string; mjml: string }>;
    return Object.fromEntries(rows.map((p) => [p.name, p.mjml]));
  };

  return {
    engine,

    /** Document Service middleware: validate MJML and stamp a new version on each save. */
    guardWrites(): void {
      strapi.documents.use(async (ctx, next) => {
        if (ctx.uid !== TEMPLATE_UID || !WRITE_ACTIONS.has(ctx.action)) return next();
        const params = ctx.params as { data?: Record<string, any> };
        const data = params.data ?? {};
        if (typeof data.mjml === 'string') {
          try {
            await engine.validate({ id: `validate:${randomUUID()}`, version: 0, subject: String(data.subject ?? ''), mjml: data.mjml, partials: await partials() });
          } catch (error) {
            if (error instanceof MjmlValidationError) {
              throw new errors.ValidationError(error.message, { errors: error.issues.map((i) => ({ path: ['mjml'], message: `line ${i.line}: ${i.message}`, name: 'ValidationError' })) });
            }
            throw error;
          }
        }
        params.data = { ...data, version: `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}` };
        return next();
      });
    },

    /** Renders unsaved form values for the admin preview; problems are returned, not thrown. */
    async preview(input: PreviewInput): Promise<PreviewResult> {
      const template = { id: `preview:${randomUUID()}`, version: 0, subject: input.subject, preheader: input.preheader ?? undefined, mjml: input.mjml, text: input.textOverride ?? undefined, partials: await partials() };
      try {
        return { ...(await engine.render(template, input.data)), errors: [], warnings: [] };
      } catch (error) {
        if (error instanceof MjmlValidationError) return { errors: error.issues.map((i) => ({ line: i.line, message: i.message })), warnings: [] };
        if (error instanceof UnresolvedVariableError) return { errors: [], warnings: [error.message] };
        throw error;
      }
    },
  };
};
