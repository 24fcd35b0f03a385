import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID, SHOP_DOMAIN } from '../utils/constants';
import { getService } from '../utils/get-service';
import { replyJson } from '../utils/http';
import { verifyProxyQuery } from '../utils/signature';

export interface ProxyState {
  shop: string;
  /** logged_in_customer_id: the signed-in buyer, vouched for by Shopify's signature */
  customerId: string | null;
}

/**
 * Route middleware of the app proxy routes: Shopify signs the query it forwards (shop,
 * logged_in_customer_id, path_prefix, timestamp) with the app secret. A missing, tampered or
 * stale (> proxyMaxAgeSeconds) signature, or a shop that has not installed the app, is a 401.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) =>
  async function appProxy(ctx: Context, next: Next) {
    const { apiSecret, proxyMaxAgeSeconds } = strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;
    const unauthorized = (message: string) => replyJson(ctx, 401, { data: null, error: { status: 401, name: 'UnauthorizedError', message } });
    if (ctx.querystring.length > 4096) return unauthorized('the query string is too long for an app proxy request');
    const check = verifyProxyQuery(new URLSearchParams(ctx.querystring), apiSecret, proxyMaxAgeSeconds);
    if (!check.ok) return unauthorized(check.reason);
    if (!SHOP_DOMAIN.test(check.shop)) return unauthorized('the shop parameter is not a <name>.myshopify.com domain');
    if ((await getService(strapi, 'shops').state(check.shop)) !== 'installed') return unauthorized(`shop ${check.shop} has not installed the app`);
    if (check.customerId !== null && !/^\d{1,20}$/.test(check.customerId)) return unauthorized('logged_in_customer_id is malformed');
    ctx.state.shopifyProxy = { shop: check.shop, customerId: check.customerId } satisfies ProxyState;
    await next();
  };
