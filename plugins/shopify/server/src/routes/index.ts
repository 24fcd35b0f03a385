import { EXPORTS_READ } from '../utils/constants';
import { appHomeRoutes, backfillAdminRoutes, shopAdminRoutes } from './backfill';

/**
 * Content API (mounted at /api/shopify). Public, each authenticated its own way: the app proxy
 * routes by Shopify's signature (app-proxy middleware), the install routes by OAuth (state
 * cookie + HMAC) or the App Bridge session token. Webhooks are not a route: they are read
 * before Strapi's body parser (webhooks/middleware.ts).
 */
const proxy = { auth: false as const, middlewares: ['plugin::shopify.app-proxy'] };
const open = { auth: false as const };
const canReadExports = { policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [EXPORTS_READ] } }] };

export default {
  'content-api': {
    type: 'content-api' as const,
    routes: [
      { method: 'POST', path: '/proxy/inquiry', handler: 'proxy.inquiry', config: proxy },
      { method: 'POST', path: '/proxy/collect', handler: 'proxy.collect', config: proxy },
      { method: 'GET', path: '/proxy/faq/:handle', handler: 'proxy.faq', config: proxy },
      { method: 'GET', path: '/auth', handler: 'auth.begin', config: open },
      { method: 'GET', path: '/auth/callback', handler: 'auth.callback', config: open },
      { method: 'POST', path: '/auth/token-exchange', handler: 'auth.tokenExchange', config: open },
      ...appHomeRoutes,
    ],
  },
  admin: {
    type: 'admin' as const,
    routes: [{ method: 'GET', path: '/exports/:id', handler: 'exports.findOne', config: canReadExports }, ...backfillAdminRoutes, ...shopAdminRoutes],
  },
};
