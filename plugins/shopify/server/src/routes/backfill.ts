import { BACKFILL_READ, BACKFILL_RUN } from '../utils/constants';

const can = (action: string) => ({ policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }] });

/** Admin routes of the backfill (/shopify/backfill) and the embedded app home's (/api/shopify/app). */
export const backfillAdminRoutes = [
  { method: 'GET', path: '/backfill', handler: 'backfill.find', config: can(BACKFILL_READ) },
  { method: 'POST', path: '/backfill', handler: 'backfill.start', config: can(BACKFILL_RUN) },
];

/** Public: the page renders only what the app-load signature proves; the status needs a session token. */
export const appHomeRoutes = [
  { method: 'GET', path: '/app', handler: 'app-home.page', config: { auth: false as const } },
  { method: 'GET', path: '/app/status', handler: 'app-home.status', config: { auth: false as const } },
];
