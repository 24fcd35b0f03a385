import bootstrap, { stopSweeper } from './bootstrap';
import config from './config';
import controllers from './controllers';
import middlewares from './middlewares';
import register from './register';
import routes from './routes';
import services from './services';

/** Shopify app: install (OAuth, token exchange), webhooks, the app proxy, the product catalog. */
export default { register, bootstrap, destroy: stopSweeper, config, controllers, middlewares, routes, services };
