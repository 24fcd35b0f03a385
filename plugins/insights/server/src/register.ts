import type { Core } from '@strapi/strapi';
import { migrations } from './migrations';

/** Creates the plugin's tables (idempotent steps; to move to @moat/plugin-kit's runner). */
export const runMigrations = async (strapi: Core.Strapi) => {
  const knex = strapi.db.connection;
  const client = strapi.db.dialect.client === 'postgres' ? 'postgres' : 'sqlite';
  for (const migration of migrations) await migration.up(knex, { client });
};

export default async ({ strapi }: { strapi: Core.Strapi }) => runMigrations(strapi);
