import bootstrap from './bootstrap';
import config from './config';
import controllers from './controllers';
import destroy from './destroy';
import register from './register';
import routes from './routes';
import services from './services';

/** Insights: funnel and ROI, sources, seasonality, what buyers ask, the weakest-stage alert. */
export default { register, bootstrap, destroy, config, controllers, routes, services };
