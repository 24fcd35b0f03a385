import type { Core } from '@strapi/strapi';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import { ACTION_DEFINITIONS } from './permissions';
import policies from './policies';
import routes from './routes';
import services from './services';
import { getService } from './utils/get-service';

export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    getService(strapi, 'templates').guardWrites();
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // before Strapi's admin bootstrap (it runs after the plugins'): see plugins/tracking bootstrap
    await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);
    await getService(strapi, 'seed').run();
  },
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    await getService(strapi, 'mailer').close();
    await getService(strapi, 'templates').close();
  },
  config,
  contentTypes,
  controllers,
  policies,
  routes,
  services,
};
