import { BACKFILL_READ, BACKFILL_RUN, SHOPS_READ, WEBHOOKS_READ, WEBHOOKS_RETRY } from '../utils/constants';

const can = (action: string) => ({ policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }] });

/** Admin routes of the backfill (/shopify/backfill) and the embedded app home's (/api/shopify/app). */
export const backfillAdminRoutes = [
  { method: 'GET', path: '/backfill', handler: 'backfill.find', config: can(BACKFILL_READ) },
  { method: 'POST', path: '/backfill', handler: 'backfill.start', config: can(BACKFILL_RUN) },
];

/** Admin routes of the Shopify page: connected shops, received webhooks, retrying a failed one. */
export const shopAdminRoutes = [
  { method: 'GET', path: '/shops', handler: 'admin.shops', config: can(SHOPS_READ) },
  { method: 'GET', path: '/webhooks', handler: 'admin.webhooks', config: can(WEBHOOKS_READ) },
  { method: 'POST', path: '/webhooks/:id/retry', handler: 'admin.retry', config: can(WEBHOOKS_RETRY) },
];

/** Public: the page renders only what the app-load signature proves; the status needs a session token. */
export const appHomeRoutes = [
  { method: 'GET', path: '/app', handler: 'app-home.page', config: { auth: false as const } },
  { method: 'GET', path: '/app/status', handler: 'app-home.status', config: { auth: false as const } },
];
