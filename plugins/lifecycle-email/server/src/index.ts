import { runPluginMigrations } from '@moat/plugin-kit';
import type { Core } from '@strapi/strapi';
import config from './config';
import contentTypes from './content-types';
import controllers from './controllers';
import middlewares from './middlewares';
import { migrations } from './migrations';
import { ACTION_DEFINITIONS } from './permissions';
import policies from './policies';
import routes from './routes';
import services from './services';
import { getService } from './utils/get-service';

export default {
  async register({ strapi }: { strapi: Core.Strapi }) {
    getService(strapi, 'templates').guardWrites();
    // the message log and suppressions: the plugin's own tables (moat_plugin_migrations)
    await runPluginMigrations(strapi, 'lifecycle-email', migrations);
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    // before Strapi's admin bootstrap (it runs after the plugins'): see plugins/tracking bootstrap
    await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);
    await getService(strapi, 'seed').run();
    await getService(strapi, 'delivery').start();
    await getService(strapi, 'flows').seed();
    await getService(strapi, 'flows').start();
    await getService(strapi, 'campaigns').resumeInterrupted();
  },
  async destroy({ strapi }: { strapi: Core.Strapi }) {
    // a campaign's page in hand is written before the queues close
    await getService(strapi, 'campaigns').idle();
    // workers finish the sends in hand before the transports close
    await getService(strapi, 'flows').stop();
    await getService(strapi, 'delivery').stop();
    await getService(strapi, 'mailer').close();
    await getService(strapi, 'templates').close();
  },
  config,
  contentTypes,
  controllers,
  middlewares,
  policies,
  routes,
  services,
};
