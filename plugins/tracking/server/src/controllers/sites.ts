import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { createSiteSchema, updateSiteSchema } from '../schemas/sites';
import { SiteError } from '../services/sites';
import { getService } from '../utils/get-service';
import { describeIssues } from '../utils/zod-message';

type StrapiCtx = Context & { badRequest(message: string): void };

/** Admin: the site keys a storefront's script tag may carry, and their allowed origins. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const sites = () => getService(strapi, 'sites');
  /** a SiteError becomes its 404/409 with the message; anything else stays a 500 */
  const answer = async (ctx: StrapiCtx, work: () => Promise<unknown>, status = 200) => {
    try {
      const body = await work();
      if (body === undefined) ctx.status = 204;
      else {
        ctx.body = body;
        ctx.status = status;
      }
    } catch (error) {
      if (!(error instanceof SiteError)) throw error;
      ctx.body = { data: null, error: { status: error.status, name: error.status === 404 ? 'NotFoundError' : 'ConflictError', message: error.message } };
      ctx.status = error.status;
    }
  };
  return {
    async list(ctx: StrapiCtx) {
      ctx.body = { sites: sites().list() };
    },
    async create(ctx: StrapiCtx) {
      const parsed = createSiteSchema.safeParse(ctx.request.body);
      if (!parsed.success) return ctx.badRequest(describeIssues(parsed.error.issues));
      await answer(ctx, () => sites().create(parsed.data), 201);
    },
    async update(ctx: StrapiCtx) {
      const parsed = updateSiteSchema.safeParse(ctx.request.body);
      if (!parsed.success) return ctx.badRequest(describeIssues(parsed.error.issues));
      await answer(ctx, () => sites().update(ctx.params.key, parsed.data.origins));
    },
    async remove(ctx: StrapiCtx) {
      await answer(ctx, () => sites().remove(ctx.params.key));
    },
  };
};
