import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { shopOfAppLoad } from '../app-home/app-load';
import { renderAppHome } from '../app-home/page';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { HttpError, replyError, replyJson } from '../utils/http';
import { verifySessionToken } from '../utils/session-token';

/**
 * The embedded app's home (GET /api/shopify/app), framed by Shopify admin, and its JSON status
 * (GET /api/shopify/app/status) for App Bridge's session token.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;
  const prefix = String(strapi.config.get('api.rest.prefix') ?? '/api').replace(/\/$/, '');

  async function statusOf(shop: string) {
    const row = await getService(strapi, 'shops').get(shop);
    const connection = !row ? 'unknown' : row.uninstalled_at == null ? 'installed' : 'uninstalled';
    return { shop, connection, scope: row?.scope ?? null, backfill: await getService(strapi, 'backfill').progress(shop) } as const;
  }

  return {
    async page(ctx: Context) {
      const { apiKey, apiSecret, appUrl } = config();
      const shop = shopOfAppLoad(new URLSearchParams(ctx.querystring), apiKey, apiSecret);
      const status = shop ? await statusOf(shop) : null;
      const nonce = randomBytes(16).toString('base64');
      // framed by Shopify admin only: Strapi's security headers (SAMEORIGIN, 'self') would block it
      ctx.remove('X-Frame-Options');
      ctx.set(
        'Content-Security-Policy',
        [
          `frame-ancestors ${shop ? `https://${shop} ` : ''}https://admin.shopify.com`,
          `script-src https://cdn.shopify.com 'nonce-${nonce}'`,
          `style-src 'nonce-${nonce}'`,
          "connect-src 'self' https://*.shopify.com",
          "default-src 'self'",
        ].join('; '),
      );
      ctx.status = 200;
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = renderAppHome({
        apiKey,
        shop,
        connection: status?.connection ?? 'not-verified',
        progress: status?.backfill ?? [],
        adminUrl: `${(appUrl || '').replace(/\/$/, '')}/admin`,
        statusUrl: `${prefix}/${PLUGIN_ID}/app/status`,
        nonce,
      });
    },

    async status(ctx: Context) {
      try {
        const token = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1];
        if (!token) throw new HttpError(401, 'UnauthorizedError', 'Authorization: Bearer <session token> is missing');
        const { apiKey, apiSecret } = config();
        const check = verifySessionToken(token, apiKey, apiSecret);
        if (!check.ok) throw new HttpError(401, 'UnauthorizedError', check.reason);
        replyJson(ctx, 200, { data: await statusOf(check.shop) });
      } catch (error) {
        replyError(strapi, ctx, error);
      }
    },
  };
};
