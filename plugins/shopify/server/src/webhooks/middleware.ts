import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import type { ShopifyConfig } from '../config';
import { PayloadError } from '../services/webhooks';
import { PLUGIN_ID, SHOP_DOMAIN } from '../utils/constants';
import { getService } from '../utils/get-service';
import { HttpError, replyError, replyJson } from '../utils/http';
import { verifyWebhookHmac } from '../utils/signature';

/** Shopify's largest payloads (orders with hundreds of lines, products with 2,048 variants) stay below this. */
export const WEBHOOK_MAX_BODY_BYTES = 4 * 1024 * 1024;
const TOPIC = /^[a-z_]+\/[a-z_]+$/;

async function readBody(ctx: Context): Promise<Buffer> {
  const tooLarge = () => new HttpError(413, 'PayloadTooLarge', `body is over ${WEBHOOK_MAX_BODY_BYTES} bytes`);
  if (Number(ctx.get('content-length') || 0) > WEBHOOK_MAX_BODY_BYTES) throw tooLarge();
  try {
    return await getRawBody(ctx.req, { limit: WEBHOOK_MAX_BODY_BYTES });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw tooLarge();
    throw new HttpError(400, 'BadRequest', `could not read the body: ${(error as Error).message}`);
  }
}

/**
 * POST /api/shopify/webhooks — every topic, the compliance ones included. A Koa middleware
 * added in register, so it runs before Strapi's body parser: the HMAC is checked over the
 * exact bytes Shopify signed before anything parses them, and a refused delivery stores
 * nothing. A verified delivery is recorded and answered 200 at once (Shopify waits 5 s);
 * a worker processes it from the queue (services/webhooks.ts).
 */
export function createWebhookMiddleware(strapi: Core.Strapi) {
  const prefix = String(strapi.config.get('api.rest.prefix') ?? '/api').replace(/\/$/, '');
  const path = `${prefix}/${PLUGIN_ID}/webhooks`;

  async function handle(ctx: Context) {
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      throw new HttpError(405, 'MethodNotAllowed', 'Shopify webhooks are POSTed');
    }
    const { apiSecret } = strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;
    if (!apiSecret) throw new HttpError(503, 'ServiceUnavailable', 'the Shopify app secret is not configured (SHOPIFY_API_SECRET)');
    const raw = await readBody(ctx);
    const hmac = ctx.get('x-shopify-hmac-sha256');
    if (!hmac) throw new HttpError(401, 'UnauthorizedError', 'X-Shopify-Hmac-Sha256 is missing');
    if (!verifyWebhookHmac(raw, apiSecret, hmac)) throw new HttpError(401, 'UnauthorizedError', "X-Shopify-Hmac-Sha256 does not match the body and the app's secret");

    const shop = ctx.get('x-shopify-shop-domain');
    const topic = ctx.get('x-shopify-topic');
    const webhookId = ctx.get('x-shopify-webhook-id');
    if (!SHOP_DOMAIN.test(shop)) throw new HttpError(400, 'ValidationError', 'X-Shopify-Shop-Domain must be a <name>.myshopify.com domain');
    if (!TOPIC.test(topic)) throw new HttpError(400, 'ValidationError', 'X-Shopify-Topic is missing or malformed');
    if (!webhookId || webhookId.length > 128) throw new HttpError(400, 'ValidationError', 'X-Shopify-Webhook-Id is missing or too long');
    const triggered = Date.parse(ctx.get('x-shopify-triggered-at'));
    // signed by Shopify, but for a shop that never installed the app: nothing to attach it to
    if ((await getService(strapi, 'shops').state(shop)) === 'unknown') throw new HttpError(401, 'UnauthorizedError', `shop ${shop} has not installed the app`);

    let payload: unknown;
    try {
      payload = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new HttpError(400, 'ValidationError', `body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
    }
    try {
      const result = await getService(strapi, 'webhooks').receive({ shop, topic, webhookId, triggeredAt: Number.isNaN(triggered) ? Date.now() : triggered }, payload);
      replyJson(ctx, 200, result);
    } catch (error) {
      if (error instanceof PayloadError) throw new HttpError(400, 'ValidationError', error.message);
      strapi.log.error(`[shopify] webhook ${webhookId} (${topic}, ${shop}) could not be recorded: ${(error as Error).stack ?? error}`);
      throw new HttpError(503, 'ServiceUnavailable', 'the delivery could not be recorded right now; Shopify will retry');
    }
  }

  return async function shopifyWebhooks(ctx: Context, next: Next) {
    if (ctx.path !== path && ctx.path !== `${path}/`) return next();
    try {
      await handle(ctx);
    } catch (error) {
      replyError(strapi, ctx, error);
    }
  };
}
