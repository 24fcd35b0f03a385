import catalog from './catalog';
import collector from './collector';
import formRules from './form-rules';
import overview from './overview';
import permissions from './permissions';
import privacy from './privacy';
import rateLimits from './rate-limits';
import serverApi from './server-api';
import sites from './sites';
import timeline from './timeline';
import touchpoints from './touchpoints';
import woocommerce from './woocommerce';

export default {
  catalog,
  collector,
  'form-rules': formRules,
  overview,
  permissions,
  privacy,
  'rate-limits': rateLimits,
  'server-api': serverApi,
  sites,
  timeline,
  touchpoints,
  woocommerce,
};
