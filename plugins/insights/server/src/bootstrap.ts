import type { Core } from '@strapi/strapi';
import { ACTION_DEFINITIONS } from './permissions';
import { runMigrations } from './register';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // before Strapi's admin bootstrap (see tracking/server/src/bootstrap.ts)
  await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);
  // again, now that the app's migrations have run (steps on moat_touchpoints; every step is idempotent)
  await runMigrations(strapi);
  getService(strapi, 'rollups').start();
  getService(strapi, 'digest').start();
};
