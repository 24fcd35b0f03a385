import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { SHOP_DOMAIN } from '../utils/constants';
import { getService } from '../utils/get-service';
import { HttpError, replyError, replyJson } from '../utils/http';

const shopOf = (value: unknown, required: boolean): string | undefined => {
  if (value === undefined || value === '') {
    if (required) throw new HttpError(400, 'ValidationError', 'shop is required (a <name>.myshopify.com domain)');
    return undefined;
  }
  if (typeof value !== 'string' || !SHOP_DOMAIN.test(value)) throw new HttpError(400, 'ValidationError', 'shop must be a <name>.myshopify.com domain');
  return value;
};

/** Admin: the backfill's progress (GET /shopify/backfill?shop=) and starting/resuming it (POST). */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    try {
      const shop = shopOf(new URLSearchParams(ctx.querystring).get('shop') ?? undefined, false);
      replyJson(ctx, 200, { data: await getService(strapi, 'backfill').progress(shop) });
    } catch (error) {
      replyError(strapi, ctx, error);
    }
  },

  async start(ctx: Context) {
    try {
      const body = (ctx.request as unknown as { body?: { shop?: unknown } }).body;
      const shop = shopOf(body?.shop, true) as string;
      replyJson(ctx, 202, { data: await getService(strapi, 'backfill').start(shop) });
    } catch (error) {
      replyError(strapi, ctx, error);
    }
  },
});
