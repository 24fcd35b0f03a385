import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { z } from 'zod';
import { batchSchema, identifySchema, timelineQuerySchema, trackSchema } from '../schemas/server-api';
import { cleanStrings } from '../contracts/text';
import { CursorError } from '../services/timeline';
import { getService } from '../utils/get-service';
import { describeIssues } from '../utils/zod-message';

type StrapiCtx = Context & { badRequest(message: string): void; notFound(message: string): void };

const describe = (error: z.ZodError) => describeIssues(error.issues);
/** NUL characters and lone surrogates out before validation (contracts/text.ts says why). */
const bodyOf = (ctx: StrapiCtx) => cleanStrings((ctx.request as { body?: unknown }).body);

/** Thin controllers: validate with zod, hand over to typed services. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async track(ctx: StrapiCtx) {
    const parsed = trackSchema.safeParse(bodyOf(ctx));
    if (!parsed.success) return ctx.badRequest(describe(parsed.error));
    ctx.body = await getService(strapi, 'server-api').track(parsed.data);
  },

  async identify(ctx: StrapiCtx) {
    const parsed = identifySchema.safeParse(bodyOf(ctx));
    if (!parsed.success) return ctx.badRequest(describe(parsed.error));
    ctx.body = await getService(strapi, 'server-api').identify(parsed.data);
  },

  /** Up to 100 calls; each is validated before any is stored, so a bad batch stores nothing. */
  async batch(ctx: StrapiCtx) {
    const parsed = batchSchema.safeParse(bodyOf(ctx));
    if (!parsed.success) return ctx.badRequest(describe(parsed.error));
    const calls = [];
    for (const [index, item] of parsed.data.batch.entries()) {
      const { action: _action, ...fields } = item;
      const schema = item.action === 'track' ? trackSchema : identifySchema;
      const call = schema.safeParse(fields);
      if (!call.success) return ctx.badRequest(`batch.${index}: ${describe(call.error)}`);
      calls.push({ action: item.action, data: call.data });
    }
    const api = getService(strapi, 'server-api');
    const results = [];
    for (const call of calls) {
      results.push(call.action === 'track' ? await api.track(call.data as never) : await api.identify(call.data as never));
    }
    ctx.body = { results };
  },

  async timeline(ctx: StrapiCtx) {
    const parsed = timelineQuerySchema.safeParse(ctx.query);
    if (!parsed.success) return ctx.badRequest(describe(parsed.error));
    const split = (v?: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
    try {
      ctx.body = await getService(strapi, 'timeline').list(ctx.params.customerId, {
        limit: parsed.data.limit,
        cursor: parsed.data.cursor,
        types: split(parsed.data.type),
        channels: split(parsed.data.channel),
      });
    } catch (error) {
      if (error instanceof CursorError) return ctx.badRequest(error.message);
      throw error;
    }
  },

  /** Admin: install snippets and what arrived lately. */
  async overview(ctx: StrapiCtx) {
    ctx.body = await getService(strapi, 'overview').get();
  },
});
