import bootstrap from './bootstrap';
import config from './config';
import controllers from './controllers';
import destroy from './destroy';
import register from './register';
import routes from './routes';
import services from './services';

/** Tracking: the collect endpoint, the touchpoint store, sessions, identity stitching, timeline. */
export default {
  register,
  bootstrap,
  destroy,
  config,
  controllers,
  routes,
  services,
};
