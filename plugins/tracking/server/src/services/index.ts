import collector from './collector';
import overview from './overview';
import serverApi from './server-api';
import sites from './sites';
import timeline from './timeline';
import touchpoints from './touchpoints';

export default {
  collector,
  overview,
  'server-api': serverApi,
  sites,
  timeline,
  touchpoints,
};
