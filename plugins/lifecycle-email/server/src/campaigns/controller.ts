import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';
import { CampaignStateError } from './service';

const idOf = (ctx: Context) => String(ctx.params.id);

/** A request in the wrong state (pause a draft, send twice) is a 409 naming the state. */
async function guarded(ctx: Context, work: () => Promise<unknown>) {
  try {
    ctx.body = { data: await work() };
  } catch (error) {
    if (!(error instanceof CampaignStateError)) throw error;
    ctx.status = 409;
    ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: error.message } };
  }
}

/** /lifecycle-email/campaigns… (routes/campaigns.ts): thin; the campaigns service does the work. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const campaigns = () => getService(strapi, 'campaigns');
  return {
    async list(ctx: Context) {
      const q = ctx.query as Record<string, string | undefined>;
      ctx.body = await campaigns().list({ page: Number(q.page ?? 1) || 1, pageSize: Number(q.pageSize ?? 25) || 25 });
    },
    async create(ctx: Context) {
      ctx.status = 201;
      ctx.body = { data: await campaigns().create((ctx.request as { body?: unknown }).body) };
    },
    async findOne(ctx: Context) {
      ctx.body = { data: await campaigns().get(idOf(ctx)) };
    },
    async report(ctx: Context) {
      const days = (ctx.query as Record<string, string | undefined>).days;
      ctx.body = { data: await campaigns().report(idOf(ctx), { days: days === undefined || days === '' ? undefined : Number(days) }) };
    },
    // the write loop runs on after the answer: a large segment takes seconds, the page polls progress
    send: (ctx: Context) => guarded(ctx, () => campaigns().send(idOf(ctx), { wait: false })),
    pause: (ctx: Context) => guarded(ctx, () => campaigns().pause(idOf(ctx))),
    resume: (ctx: Context) => guarded(ctx, () => campaigns().resume(idOf(ctx), { wait: false })),
    cancel: (ctx: Context) => guarded(ctx, () => campaigns().cancel(idOf(ctx))),
  };
};
