import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { cleanStrings, mayNeedCleaning } from '../contracts/text';
import type { TrackingConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { describeIssues } from '../utils/zod-message';
import { parseWooEvent, wooHeadersSchema } from './payloads';
import { wooSecretsOf } from './secrets';
import { verifyWooSignature } from './signature';

/** Orders with hundreds of lines stay far below this; anything larger is not WooCommerce. */
export const WOO_MAX_BODY_BYTES = 1024 * 1024;
/** The test delivery WooCommerce posts when a webhook is saved: form-encoded and unsigned. */
const PING = /^webhook_id=\d+$/;

class WebhookError extends Error {
  constructor(
    readonly status: number,
    readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

function reply(ctx: Context, status: number, body: unknown) {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
}

async function readBody(ctx: Context): Promise<Buffer> {
  if (Number(ctx.get('content-length') || 0) > WOO_MAX_BODY_BYTES) throw new WebhookError(413, 'PayloadTooLarge', `body is over ${WOO_MAX_BODY_BYTES} bytes`);
  try {
    return await getRawBody(ctx.req, { limit: WOO_MAX_BODY_BYTES });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw new WebhookError(413, 'PayloadTooLarge', `body is over ${WOO_MAX_BODY_BYTES} bytes`);
    throw new WebhookError(400, 'BadRequest', `could not read the body: ${(error as Error).message}`);
  }
}

/**
 * POST /api/tracking/v1/woocommerce/:site — WooCommerce's own webhooks. A Koa middleware
 * added in register, so it runs before Strapi's body parser: the signature is checked over
 * the exact bytes WooCommerce signed, before anything parses them, and a forged body never
 * reaches JSON.parse. (Strapi's `includeUnparsed` would keep a second copy of every body in
 * the app and parse before we can verify.) Every refusal is a 4xx with a message; 503 when
 * the store cannot take the delivery now (WooCommerce logs the failure).
 */
export function createWooCommerceMiddleware(strapi: Core.Strapi) {
  const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as TrackingConfig;
  const secrets = wooSecretsOf(config.woocommerce?.secrets ?? {});
  const prefix = String(strapi.config.get('api.rest.prefix') ?? '/api').replace(/\/$/, '');
  const base = `${prefix}/tracking/v1/woocommerce/`;

  async function handle(ctx: Context, site: string) {
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST');
      throw new WebhookError(405, 'MethodNotAllowed', 'WooCommerce webhooks are POSTed');
    }
    const secret = secrets.get(site);
    if (!secret) throw new WebhookError(404, 'NotFoundError', `no WooCommerce store "${site.slice(0, 64)}" is configured (MOAT_WOOCOMMERCE_SECRETS)`);
    const raw = await readBody(ctx);
    // answered 200 so WooCommerce activates the webhook; nothing in it is stored
    if (raw.length < 40 && PING.test(raw.toString('latin1'))) return reply(ctx, 200, { status: 'ping' });
    const signature = ctx.get('x-wc-webhook-signature');
    if (!signature) throw new WebhookError(401, 'UnauthorizedError', 'X-WC-Webhook-Signature is missing');
    if (!verifyWooSignature(raw, secret, signature)) throw new WebhookError(401, 'UnauthorizedError', 'X-WC-Webhook-Signature does not match the body and this store\'s secret');

    const headers = wooHeadersSchema.safeParse(
      Object.fromEntries(Object.keys(wooHeadersSchema.shape).map((name) => [name, ctx.get(name) || undefined])),
    );
    if (!headers.success) throw new WebhookError(400, 'ValidationError', describeIssues(headers.error.issues));
    let json: unknown;
    const text = raw.toString('utf8');
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new WebhookError(400, 'ValidationError', `body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
    }
    const { 'X-WC-Webhook-Topic': topic, 'X-WC-Webhook-Delivery-ID': deliveryId, 'X-WC-Webhook-ID': webhookId } = headers.data;
    const parsed = parseWooEvent(topic, mayNeedCleaning(text) ? cleanStrings(json) : json);
    if ('error' in parsed) throw new WebhookError(400, 'ValidationError', describeIssues(parsed.error.issues));
    try {
      reply(ctx, 200, await getService(strapi, 'woocommerce').receive({ site, deliveryId, webhookId }, parsed.event));
    } catch (error) {
      strapi.log.error(`[tracking] WooCommerce delivery ${deliveryId} (${topic}, site ${site}) failed: ${(error as Error).message}`);
      throw new WebhookError(503, 'ServiceUnavailable', 'the delivery could not be stored right now');
    }
  }

  return async function wooCommerceWebhooks(ctx: Context, next: Next) {
    if (!ctx.path.startsWith(base)) return next();
    const site = ctx.path.slice(base.length).replace(/\/$/, '');
    if (!site || site.includes('/')) return next();
    try {
      // site keys are plain letters, digits, "-" and "_": an encoded segment is simply unknown
      await handle(ctx, site);
    } catch (error) {
      const http = error instanceof WebhookError ? error : new WebhookError(400, 'BadRequest', 'request rejected');
      if (!(error instanceof WebhookError)) strapi.log.warn(`[tracking] WooCommerce webhook: unexpected ${(error as Error)?.stack ?? error}`);
      if (http.status === 413) ctx.set('Connection', 'close');
      reply(ctx, http.status, { error: { status: http.status, name: http.name, message: http.message } });
    }
  };
}
