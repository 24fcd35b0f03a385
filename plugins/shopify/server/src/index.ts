import bootstrap from './bootstrap';
import config from './config';
import controllers from './controllers';
import destroy from './destroy';
import middlewares from './middlewares';
import register from './register';
import routes from './routes';
import services from './services';

/** Shopify app: install (OAuth, token exchange), webhooks, the app proxy, the product catalog. */
export default { register, bootstrap, destroy, config, controllers, middlewares, routes, services };
