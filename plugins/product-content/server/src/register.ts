import { browserAssets } from '@moat/plugin-kit';
import type { Core } from '@strapi/strapi';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  // the <moat-faq> widget (/moat/faq.js) ships in this package's browser/ folder: a host app
  // serves it without copying anything into its public/
  strapi.server.use(browserAssets(__dirname).middleware);
};
