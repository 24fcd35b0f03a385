import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { type AdminCtx, scopeOf } from '../utils/scope';

const csv = (ctx: AdminCtx, name: string) => {
  ctx.set('Content-Type', 'text/csv; charset=utf-8');
  ctx.set('Content-Disposition', `attachment; filename="${name}-${new Date().toISOString().slice(0, 10)}.csv"`);
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async customers(ctx: AdminCtx) {
    csv(ctx, 'customers');
    ctx.body = getService(strapi, 'export').customers(scopeOf(ctx));
  },
  async inquiries(ctx: AdminCtx) {
    csv(ctx, 'inquiries');
    ctx.body = getService(strapi, 'export').inquiries(scopeOf(ctx));
  },
});
