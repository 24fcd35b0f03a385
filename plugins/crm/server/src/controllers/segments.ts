import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { answer, bodyOf } from '../engage/http';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const segments = () => strapi.plugin('crm').service('segments');
  return {
    list: (ctx: Context) => answer(ctx, async () => ({ data: await segments().list() })),
    findOne: (ctx: Context) => answer(ctx, async () => ({ data: await segments().findOne(ctx.params.id) })),
    create: (ctx: Context) => answer(ctx, async () => ({ data: await segments().create(bodyOf(ctx)) }), 201),
    update: (ctx: Context) => answer(ctx, async () => ({ data: await segments().update(ctx.params.id, bodyOf(ctx)) })),
    remove: (ctx: Context) => answer(ctx, () => segments().remove(ctx.params.id), 204),
    /** the builder's live count: rules not saved yet */
    count: (ctx: Context) => answer(ctx, async () => ({ count: await segments().count(segments().validate(bodyOf(ctx).rules)) })),
    members: (ctx: Context) =>
      answer(ctx, async () => {
        const body = bodyOf(ctx);
        const source = typeof body.segment === 'string' ? body.segment : segments().validate(body.rules);
        return segments().members(source, { cursor: typeof body.cursor === 'string' ? body.cursor : null, limit: Number(body.limit ?? 50) || 50 });
      }),
  };
};
