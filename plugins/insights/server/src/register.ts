import { requirePlugins } from '@moat/plugin-kit';
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from './utils/constants';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // the funnel is computed from tracking's touchpoint store
  requirePlugins(strapi, PLUGIN_ID, [{ id: 'tracking', pkg: '@moat/tracking' }]);
};
