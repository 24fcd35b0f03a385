import { browserAssets, requirePlugins, runPluginMigrations } from '@moat/plugin-kit';
import type { Core } from '@strapi/strapi';
import { installCollect } from './collect/handler';
import { parseSites, type SiteConfig, type TrackingConfig } from './config';
import { createDemoMiddleware } from './demo/middleware';
import { migrations } from './migrations';
import { PLUGIN_ID } from './utils/constants';
import { createWooCommerceMiddleware } from './woocommerce/middleware';

/** In development the demo storefront (any localhost port) may send as site "demo". */
const DEMO_SITE: SiteConfig = { key: 'demo', origins: ['http://localhost:*', 'http://127.0.0.1:*'] };

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // identity stitching writes CRM customers (utils/crm.ts)
  requirePlugins(strapi, PLUGIN_ID, [{ id: 'crm', pkg: '@moat/crm' }]);
  // the plugin's own tables (touchpoints, visitors, webhook deliveries): no host-app migrations
  await runPluginMigrations(strapi, PLUGIN_ID, migrations);
  const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as TrackingConfig;
  const sites = typeof config.sites === 'string' ? parseSites(config.sites) : [...config.sites];
  if (config.demo && !sites.some((s) => s.key === DEMO_SITE.key)) sites.push(DEMO_SITE);
  strapi.config.set(`plugin::${PLUGIN_ID}.sites`, sites);
  // Collect is answered ahead of Koa and every Strapi middleware (see installCollect).
  installCollect(strapi);
  // WooCommerce webhooks are read before Strapi's body parser (their signature covers the raw body)
  strapi.server.use(createWooCommerceMiddleware(strapi));
  if (config.demo) strapi.server.use(createDemoMiddleware(strapi));
  // the tracker (/moat/t.js and its add-ons) ships in this package's browser/ folder
  strapi.server.use(browserAssets(__dirname).middleware);
};
