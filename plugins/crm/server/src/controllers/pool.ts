import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { answer, bodyOf } from '../engage/http';

const KINDS = ['customer', 'inquiry'];

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const pool = () => strapi.plugin('crm').service('pool');
  return {
    list: (ctx: Context) =>
      answer(ctx, async () => {
        const kind = ctx.query.kind;
        if (kind !== undefined && !KINDS.includes(String(kind))) throw Object.assign(new Error('kind: customer or inquiry'), { status: 400 });
        return { data: await pool().list({ kind, limit: Number(ctx.query.limit ?? 50) || 50 }) };
      }),
    claim: (ctx: Context) =>
      answer(ctx, async () => {
        const { kind, documentId } = bodyOf(ctx);
        if (typeof kind !== 'string' || !KINDS.includes(kind)) throw Object.assign(new Error('kind: customer or inquiry'), { status: 400 });
        if (typeof documentId !== 'string' || !documentId || documentId.length > 64) throw Object.assign(new Error('documentId: required'), { status: 400 });
        return { data: await pool().claim(kind, documentId, ctx.state.user) };
      }),
    /** runs the release now (it also runs on its schedule) */
    release: (ctx: Context) => answer(ctx, async () => ({ data: await pool().release() })),
    overdue: (ctx: Context) =>
      answer(ctx, async () => ({
        data: await strapi
          .plugin('crm')
          .service('cadence')
          .overdue({ ownerId: ctx.query.mine === 'true' ? ctx.state.user.id : undefined, limit: Number(ctx.query.limit ?? 100) || 100 }),
      })),
  };
};
