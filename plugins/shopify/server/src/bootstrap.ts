import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './utils/constants';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Settings → Roles → Plugins → Shopify: who may read the customer data exports (personal data),
  // see the backfill's progress, and start it
  await strapi.service('admin::permission').actionProvider.registerMany([
    { section: 'plugins', displayName: 'Read customer data exports', uid: 'exports.read', pluginName: PLUGIN_ID },
    { section: 'plugins', displayName: 'See the import of existing data', uid: 'backfill.read', pluginName: PLUGIN_ID },
    { section: 'plugins', displayName: 'Start the import of existing data', uid: 'backfill.run', pluginName: PLUGIN_ID },
  ]);
  // a backfill an earlier process left unfinished (a crash, a deploy) goes on here
  const resumed = await getService(strapi, 'backfill').resumeAll();
  if (resumed) strapi.log.info(`[shopify] resuming the backfill of ${resumed} shop(s)`);
};
