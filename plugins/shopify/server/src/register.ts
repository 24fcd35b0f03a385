import type { Core } from '@strapi/strapi';
import { migrations } from './migrations';
import { clientOf } from './utils/db';
import { createWebhookMiddleware } from './webhooks/middleware';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // the plugin's raw tables; each migration is idempotent (see migrations/index.ts)
  const knex = strapi.db.connection;
  const client = clientOf(knex);
  for (const migration of migrations) await migration.up(knex, { client });
  // webhooks are verified over the raw body, so they are read before Strapi's body parser
  strapi.server.use(createWebhookMiddleware(strapi));
};
