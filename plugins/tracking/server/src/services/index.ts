import collector from './collector';
import overview from './overview';
import rateLimits from './rate-limits';
import serverApi from './server-api';
import sites from './sites';
import timeline from './timeline';
import touchpoints from './touchpoints';
import woocommerce from './woocommerce';

export default {
  collector,
  overview,
  'rate-limits': rateLimits,
  'server-api': serverApi,
  sites,
  timeline,
  touchpoints,
  woocommerce,
};
