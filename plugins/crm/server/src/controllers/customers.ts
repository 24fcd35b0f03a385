import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { followUpSchema, mergeSchema, ownerSchema, stageSchema } from '../services/customer-actions';
import { listQuerySchema } from '../services/customer-queries';
import { getService } from '../utils/get-service';
import { type AdminCtx, scopeOf } from '../utils/scope';
import { answer, parsed } from './respond';

const cursorSchema = z.object({ cursor: z.string().max(200).optional() }).strict();

/** Thin: parse, scope, call the service. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: AdminCtx) {
    const query = parsed(ctx, listQuerySchema, ctx.query);
    if (query) await answer(ctx, () => getService(strapi, 'customer-queries').list(query, scopeOf(ctx)));
  },
  async owners(ctx: AdminCtx) {
    await answer(ctx, async () => ({ results: await getService(strapi, 'customer-queries').owners(), me: scopeOf(ctx).userId }));
  },
  async findOne(ctx: AdminCtx) {
    const query = parsed(ctx, cursorSchema, ctx.query);
    if (query) await answer(ctx, () => getService(strapi, 'customer-queries').page(ctx.params.id, scopeOf(ctx), query.cursor));
  },
  async logFollowUp(ctx: AdminCtx) {
    const body = parsed(ctx, followUpSchema, ctx.request.body);
    if (body) await answer(ctx, () => getService(strapi, 'customer-actions').logFollowUp(ctx.params.id, body, scopeOf(ctx)), 201);
  },
  async changeStage(ctx: AdminCtx) {
    const body = parsed(ctx, stageSchema, ctx.request.body);
    if (body) await answer(ctx, () => getService(strapi, 'customer-actions').changeStage(ctx.params.id, body.stage, scopeOf(ctx)));
  },
  async assign(ctx: AdminCtx) {
    const body = parsed(ctx, ownerSchema, ctx.request.body);
    if (body) await answer(ctx, () => getService(strapi, 'customer-actions').assign(ctx.params.id, body.ownerId, scopeOf(ctx)));
  },
  async merge(ctx: AdminCtx) {
    const body = parsed(ctx, mergeSchema, ctx.request.body);
    if (body) await answer(ctx, () => getService(strapi, 'customer-actions').merge(ctx.params.id, body.loserId, scopeOf(ctx)));
  },
});
