import type { Core } from '@strapi/strapi';
import { ACTION_DEFINITIONS } from './permissions';
import { runPluginMigrations } from '@moat/plugin-kit';
import { migrations } from './migrations';
import { PLUGIN_ID } from './utils/constants';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // before Strapi's admin bootstrap (see tracking/server/src/bootstrap.ts)
  await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);
  // in bootstrap, not register: one step indexes tracking's moat_touchpoints, which exists only
  // once tracking's register has run (plugins register in no guaranteed order)
  await runPluginMigrations(strapi, PLUGIN_ID, migrations);
  getService(strapi, 'rollups').start();
  getService(strapi, 'digest').start();
};
