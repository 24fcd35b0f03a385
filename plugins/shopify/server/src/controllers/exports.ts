import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { getService } from '../utils/get-service';

/** GET /shopify/exports/:id (admin): one customer data export made for customers/data_request. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async findOne(ctx: Context) {
    const raw = String(ctx.params.id ?? '');
    if (!/^\d{1,12}$/.test(raw)) return ctx.badRequest('id must be a positive integer (the export id)');
    const found = await getService(strapi, 'compliance').getExport(Number(raw));
    if (!found) return ctx.notFound(`no customer data export ${raw}`);
    ctx.body = { data: found };
  },
});
