import collector from './collector';
import serverApi from './server-api';
import timeline from './timeline';
import touchpoints from './touchpoints';

export default {
  collector,
  'server-api': serverApi,
  timeline,
  touchpoints,
};
