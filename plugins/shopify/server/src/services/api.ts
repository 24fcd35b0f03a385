import '@shopify/shopify-api/adapters/node';
import { type ConfigParams, LogSeverity, type Shopify, shopifyApi } from '@shopify/shopify-api';
import { abstractFetch, setAbstractFetchFunc } from '@shopify/shopify-api/runtime';
import type { Core } from '@strapi/strapi';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';
import { HttpError } from '../utils/http';

/**
 * The @shopify/shopify-api instance (v13: its engines, Node >= 20, match Moat's), built on
 * first use from the plugin config. With apiOrigin set (tests, local stand-ins; refused in
 * production by the config validator) calls to https://<shop>/... go to <apiOrigin>/<shop>/...
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let api: Shopify | undefined;
  return {
    get(): Shopify {
      if (api) return api;
      const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;
      if (!config.apiKey || !config.apiSecret || !config.appUrl) {
        throw new HttpError(503, 'ServiceUnavailable', 'the Shopify app is not configured (SHOPIFY_API_KEY, SHOPIFY_API_SECRET, SHOPIFY_APP_URL)');
      }
      const url = new URL(config.appUrl);
      if (config.apiOrigin) {
        const origin = config.apiOrigin.replace(/\/$/, '');
        const real = abstractFetch;
        setAbstractFetchFunc((input, init) => {
          const target = new URL(String(input));
          return real(target.hostname.endsWith('.myshopify.com') ? `${origin}/${target.hostname}${target.pathname}${target.search}` : input, init);
        });
      }
      api = shopifyApi({
        apiKey: config.apiKey,
        apiSecretKey: config.apiSecret,
        scopes: config.scopes.split(',').map((s) => s.trim()).filter(Boolean),
        hostName: url.host,
        hostScheme: url.protocol === 'http:' ? 'http' : 'https',
        apiVersion: config.apiVersion as ConfigParams['apiVersion'],
        isEmbeddedApp: true,
        logger: { level: LogSeverity.Error, log: async (_severity, message) => strapi.log.warn(`[shopify] ${message}`) },
      });
      return api;
    },
  };
};
