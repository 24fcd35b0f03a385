import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';

const idOf = (ctx: Context): number => {
  const id = Number(ctx.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new errors.ValidationError('id: a flow id (a positive integer)');
  return id;
};
const bodyOf = (ctx: Context): Record<string, unknown> => {
  const body = ctx.request.body as unknown;
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new errors.ValidationError('body: a JSON object');
  return body as Record<string, unknown>;
};

/** Thin: the flows service validates and names what is wrong. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(ctx: Context) {
    const flows = getService(strapi, 'flows');
    ctx.body = { flows: await flows.list(), vocabulary: flows.vocabulary() };
  },
  async create(ctx: Context) {
    ctx.status = 201;
    ctx.body = { flow: await getService(strapi, 'flows').create(bodyOf(ctx)) };
  },
  async update(ctx: Context) {
    ctx.body = { flow: await getService(strapi, 'flows').update(idOf(ctx), bodyOf(ctx)) };
  },
  async enrollments(ctx: Context) {
    ctx.body = { enrollments: await getService(strapi, 'flows').enrollments(idOf(ctx), ctx.query as Record<string, unknown>) };
  },
});
