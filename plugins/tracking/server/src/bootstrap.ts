import type { Core } from '@strapi/strapi';
import { ACTION_DEFINITIONS } from './permissions';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // before Strapi's admin bootstrap (it runs after the plugins'), which gives Super Admin every
  // registered action and deletes stored permissions of actions nobody registered
  await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);
  await getService(strapi, 'sites').start();
  await getService(strapi, 'rate-limits').start();
  getService(strapi, 'collector').start();
};
