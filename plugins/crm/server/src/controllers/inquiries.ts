import type { Core } from '@strapi/strapi';
import { inquiryStatusSchema } from '../services/customer-actions';
import { getService } from '../utils/get-service';
import { type AdminCtx, scopeOf } from '../utils/scope';
import { answer, parsed } from './respond';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async board(ctx: AdminCtx) {
    await answer(ctx, () => getService(strapi, 'inquiry-board').board(scopeOf(ctx)));
  },
  async move(ctx: AdminCtx) {
    const body = parsed(ctx, inquiryStatusSchema, ctx.request.body);
    if (body) await answer(ctx, () => getService(strapi, 'customer-actions').moveInquiry(ctx.params.id, body, scopeOf(ctx)));
  },
});
