import bootstrap from './bootstrap';
import config from './config';
import controllers from './controllers';
import destroy from './destroy';
import contentTypes from './content-types';
import policies from './policies';
import register from './register';
import routes from './routes';
import services from './services';

/** CRM: customers (this slice: the customer model identity stitching needs, and whose word each trait is). */
export default {
  register,
  bootstrap,
  contentTypes,
  services,
  config,
  controllers,
  routes,
  policies,
  destroy,
};
