import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { SHOP_DOMAIN } from '../utils/constants';
import { getService } from '../utils/get-service';
import { HttpError, replyError, replyJson } from '../utils/http';
import type { WebhookStatus } from '../webhooks/store';

const STATUSES = new Set<WebhookStatus>(['received', 'processed', 'failed', 'ignored']);
const WEBHOOK_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function query(ctx: Context) {
  const q = new URLSearchParams(ctx.querystring);
  const shop = q.get('shop') || undefined;
  if (shop !== undefined && !SHOP_DOMAIN.test(shop)) throw new HttpError(400, 'ValidationError', 'shop must be a <name>.myshopify.com domain');
  const status = (q.get('status') || undefined) as WebhookStatus | undefined;
  if (status !== undefined && !STATUSES.has(status)) throw new HttpError(400, 'ValidationError', `status must be one of ${[...STATUSES].join(', ')}`);
  const rawLimit = q.get('limit');
  const limit = rawLimit == null ? 50 : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new HttpError(400, 'ValidationError', 'limit must be an integer from 1 to 200');
  return { shop, status, limit };
}

/** Admin (the Shopify page): connected shops, received webhooks and the retry of failed ones. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /shopify/shops */
  async shops(ctx: Context) {
    try {
      replyJson(ctx, 200, { data: await getService(strapi, 'shops').list() });
    } catch (error) {
      replyError(strapi, ctx, error);
    }
  },

  /** GET /shopify/webhooks?shop=&status=&limit= : newest first, with counts per status */
  async webhooks(ctx: Context) {
    try {
      const { shop, status, limit } = query(ctx);
      const webhooks = getService(strapi, 'webhooks');
      replyJson(ctx, 200, { data: await webhooks.list({ shop, status, limit }), meta: { counts: await webhooks.counts(shop) } });
    } catch (error) {
      replyError(strapi, ctx, error);
    }
  },

  /** POST /shopify/webhooks/:id/retry : a failed delivery is queued again */
  async retry(ctx: Context) {
    try {
      const id = String(ctx.params.id ?? '');
      if (!WEBHOOK_ID.test(id)) throw new HttpError(400, 'ValidationError', 'id must be a webhook id (X-Shopify-Webhook-Id)');
      replyJson(ctx, 202, { data: await getService(strapi, 'webhooks').retry(id) });
    } catch (error) {
      replyError(strapi, ctx, error);
    }
  },
});
