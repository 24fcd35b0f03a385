import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './utils/constants';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Settings → Roles → Plugins → Shopify: who may read the customer data exports (personal data)
  await strapi
    .service('admin::permission')
    .actionProvider.registerMany([{ section: 'plugins', displayName: 'Read customer data exports', uid: 'exports.read', pluginName: PLUGIN_ID }]);
};
