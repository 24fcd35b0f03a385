import api from './api';
import catalog from './catalog';
import sessionStorage from './session-storage';
import shops from './shops';
import timeline from './timeline';
import webhooks from './webhooks';

export default { api, catalog, 'session-storage': sessionStorage, shops, timeline, webhooks };
