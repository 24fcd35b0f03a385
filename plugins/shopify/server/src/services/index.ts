import api from './api';
import catalog from './catalog';
import consent from './consent';
import shipping from './shipping';
import sessionStorage from './session-storage';
import shops from './shops';
import timeline from './timeline';
import webhooks from './webhooks';

export default { api, catalog, consent, shipping, 'session-storage': sessionStorage, shops, timeline, webhooks };
