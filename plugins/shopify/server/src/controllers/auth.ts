import { RequestedTokenType } from '@shopify/shopify-api';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID, SHOP_DOMAIN } from '../utils/constants';
import { getService } from '../utils/get-service';
import { HttpError, replyError, replyJson } from '../utils/http';

const shopParam = (ctx: Context) => {
  const shop = new URLSearchParams(ctx.querystring).get('shop') ?? '';
  if (!SHOP_DOMAIN.test(shop)) throw new HttpError(400, 'ValidationError', 'shop must be a <name>.myshopify.com domain');
  return shop;
};

/** The library's errors are the caller's (bad state, bad HMAC, bad session token): 401. */
const authFailed = (error: unknown) =>
  error instanceof HttpError ? error : new HttpError(401, 'UnauthorizedError', `Shopify authorization failed: ${(error as Error).message?.slice(0, 300)}`);

/**
 * Install: the authorization-code grant (begin → Shopify's consent screen → callback) and, for
 * the embedded app, token exchange of App Bridge's session token. Either way an offline
 * session (access token encrypted) is stored and the shop marked installed.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const api = () => getService(strapi, 'api').get();
  const prefix = String(strapi.config.get('api.rest.prefix') ?? '/api').replace(/\/$/, '');

  async function installed(session: { shop: string; scope?: string }) {
    await getService(strapi, 'shops').install(session.shop, session.scope ?? null);
    // the shop's existing customers, products and orders come in the background (§ backfill);
    // a failure there is the backfill's (its progress row), never the install's
    if ((strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig).backfill?.onInstall) {
      await getService(strapi, 'backfill')
        .start(session.shop)
        .catch((error) => strapi.log.warn(`[shopify] backfill of ${session.shop} not started: ${(error as Error).message}`));
    }
  }

  return {
    /** GET /api/shopify/auth?shop=… → redirect to the shop's consent screen (state cookie set) */
    async begin(ctx: Context) {
      try {
        const shop = shopParam(ctx);
        const shopify = api();
        // the library writes the redirect itself
        ctx.respond = false;
        await shopify.auth.begin({ shop, callbackPath: `${prefix}/${PLUGIN_ID}/auth/callback`, isOnline: false, rawRequest: ctx.req, rawResponse: ctx.res });
      } catch (error) {
        ctx.respond = true;
        replyError(strapi, ctx, error instanceof HttpError ? error : new HttpError(400, 'ValidationError', (error as Error).message));
      }
    },

    /** GET /api/shopify/auth/callback?code&hmac&shop&state&timestamp → token, session, installed */
    async callback(ctx: Context) {
      try {
        const shopify = api();
        let result: Awaited<ReturnType<typeof shopify.auth.callback>>;
        try {
          result = await shopify.auth.callback({ rawRequest: ctx.req, rawResponse: ctx.res });
        } catch (error) {
          throw authFailed(error);
        }
        await getService(strapi, 'session-storage').storeSession(result.session);
        await installed(result.session);
        for (const [name, value] of Object.entries(result.headers ?? {})) ctx.set(name, value as string | string[]);
        ctx.redirect(await shopify.auth.getEmbeddedAppUrl({ rawRequest: ctx.req, rawResponse: ctx.res }).catch(() => `https://${result.session.shop}/admin/apps`));
      } catch (error) {
        replyError(strapi, ctx, error);
      }
    },

    /** POST /api/shopify/auth/token-exchange, Authorization: Bearer <App Bridge session token> */
    async tokenExchange(ctx: Context) {
      try {
        const token = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1];
        if (!token) throw new HttpError(401, 'UnauthorizedError', 'Authorization: Bearer <session token> is missing');
        const shopify = api();
        let shop: string;
        let session: Awaited<ReturnType<typeof shopify.auth.tokenExchange>>['session'];
        try {
          const payload = await shopify.session.decodeSessionToken(token);
          shop = new URL(payload.dest).hostname;
          ({ session } = await shopify.auth.tokenExchange({ shop, sessionToken: token, requestedTokenType: RequestedTokenType.OfflineAccessToken }));
        } catch (error) {
          throw authFailed(error);
        }
        await getService(strapi, 'session-storage').storeSession(session);
        await installed(session);
        replyJson(ctx, 200, { data: { shop, scope: session.scope ?? null } });
      } catch (error) {
        replyError(strapi, ctx, error);
      }
    },
  };
};
