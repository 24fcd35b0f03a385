import type { Core } from '@strapi/strapi';
import { ACTION_DEFINITIONS } from './permissions';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // must be the plugin bootstrap: Strapi's admin bootstrap runs after it, gives Super Admin every
  // registered action and deletes stored permissions of actions nobody registered
  await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);
};
