import { requirePlugins, runPluginMigrations } from '@moat/plugin-kit';
import type { Core } from '@strapi/strapi';
import { migrations } from './migrations';
import { PLUGIN_ID } from './utils/constants';
import { createWebhookMiddleware } from './webhooks/middleware';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // webhooks and the app proxy write CRM customers, inquiries and touchpoints
  requirePlugins(strapi, PLUGIN_ID, [
    { id: 'crm', pkg: '@moat/crm' },
    { id: 'tracking', pkg: '@moat/tracking' },
  ]);
  // the plugin's raw tables, recorded in moat_plugin_migrations (see migrations/index.ts)
  await runPluginMigrations(strapi, PLUGIN_ID, migrations);
  // webhooks are verified over the raw body, so they are read before Strapi's body parser
  strapi.server.use(createWebhookMiddleware(strapi));
};
