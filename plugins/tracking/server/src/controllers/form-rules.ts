import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { formRulesBodySchema } from '../schemas/form-rules';
import { SiteError } from '../services/sites';
import { getService } from '../utils/get-service';
import { describeIssues } from '../utils/zod-message';

type StrapiCtx = Context & { badRequest(message: string): void; notFound(message: string): void };

const SITE_KEY = /^[A-Za-z0-9_-]{4,64}$/;

/** Form rules: the admin edits them; the storefront's tracker add-on reads them (public). */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const rules = () => getService(strapi, 'form-rules');
  const site = (ctx: StrapiCtx) => {
    const key = String(ctx.params.key ?? '');
    if (!SITE_KEY.test(key)) ctx.badRequest('the site key must be 4-64 letters, digits, "-" or "_"');
    return SITE_KEY.test(key) ? key : null;
  };
  const notFound = (ctx: StrapiCtx, error: unknown) => {
    if (!(error instanceof SiteError)) throw error;
    ctx.notFound(error.message);
  };
  return {
    /** GET /api/tracking/v1/sites/:key/form-rules — public, cacheable, counted in collect's per-IP limit */
    async read(ctx: StrapiCtx) {
      const key = site(ctx);
      if (!key) return;
      try {
        await getService(strapi, 'rate-limits').get().byIp.consume(ctx.ip);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        ctx.set('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
        ctx.status = 429;
        ctx.body = { error: { status: 429, name: 'RateLimitError', message: 'too many requests from this address' } };
        return;
      }
      try {
        ctx.body = { rules: await rules().get(key) };
        ctx.set('Cache-Control', 'public, max-age=60');
        ctx.set('Access-Control-Allow-Origin', '*'); // selectors only: nothing private
      } catch (error) {
        notFound(ctx, error);
      }
    },
    /** GET /tracking/sites/:key/form-rules (admin) */
    async list(ctx: StrapiCtx) {
      const key = site(ctx);
      if (!key) return;
      try {
        ctx.body = { rules: await rules().get(key) };
      } catch (error) {
        notFound(ctx, error);
      }
    },
    /** PUT /tracking/sites/:key/form-rules {rules: [{match, kind}]} (admin) */
    async replace(ctx: StrapiCtx) {
      const key = site(ctx);
      if (!key) return;
      const parsed = formRulesBodySchema.safeParse(ctx.request.body);
      if (!parsed.success) return ctx.badRequest(describeIssues(parsed.error.issues));
      try {
        ctx.body = { rules: await rules().set(key, parsed.data.rules) };
      } catch (error) {
        notFound(ctx, error);
      }
    },
  };
};
