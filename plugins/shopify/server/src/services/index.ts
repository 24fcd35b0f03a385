import api from './api';
import backfill from './backfill';
import catalog from './catalog';
import checkouts from './checkouts';
import compliance from './compliance';
import consent from './consent';
import metafields from './metafields';
import shipping from './shipping';
import privacy from './privacy';
import sessionStorage from './session-storage';
import shops from './shops';
import timeline from './timeline';
import webhooks from './webhooks';

export default { api, backfill, catalog, checkouts, compliance, consent, metafields, privacy, shipping, 'session-storage': sessionStorage, shops, timeline, webhooks };
