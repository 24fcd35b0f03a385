import type { Core } from '@strapi/strapi';
import contentTypes from './content-types';
import controllers from './controllers';
import routes from './routes';
import services from './services';
import { getService } from './utils/get-service';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    getService(strapi, 'templates').guardWrites();
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await getService(strapi, 'seed').run();
  },
  contentTypes,
  controllers,
  routes,
  services,
};
