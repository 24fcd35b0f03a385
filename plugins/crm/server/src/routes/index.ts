import { ACTIONS } from '../permissions';
import { engageAdminRoutes, engageContentApiRoutes } from './engage';

/**
 * The CRM's admin API (mounted at /crm). Every route needs a logged-in admin and an action of
 * permissions.ts; reads take read-all or read-own (the `can-read-customers` policy) and then
 * show only what the caller's scope covers (utils/scope.ts): another salesperson's customer
 * answers 404, as if it did not exist.
 */
const needs = (...actions: string[]) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions } }],
});
/** read-all or read-own, plus any further actions */
const reads = (...actions: string[]) => ({
  policies: [
    'admin::isAuthenticatedAdmin',
    'plugin::crm.can-read-customers',
    ...(actions.length ? [{ name: 'admin::hasPermissions', config: { actions } }] : []),
  ],
});

export default {
  'content-api': { type: 'content-api' as const, routes: [...engageContentApiRoutes] },
  admin: {
    type: 'admin' as const,
    routes: [
      { method: 'GET', path: '/customers', handler: 'customers.list', config: reads() },
      { method: 'GET', path: '/owners', handler: 'customers.owners', config: reads() },
      { method: 'GET', path: '/customers/:id', handler: 'customers.findOne', config: reads() },
      { method: 'POST', path: '/customers/:id/follow-ups', handler: 'customers.logFollowUp', config: reads(ACTIONS.customersUpdate) },
      { method: 'PUT', path: '/customers/:id/stage', handler: 'customers.changeStage', config: reads(ACTIONS.customersUpdate) },
      { method: 'PUT', path: '/customers/:id/owner', handler: 'customers.assign', config: reads(ACTIONS.customersUpdate) },
      { method: 'POST', path: '/customers/:id/merge', handler: 'customers.merge', config: reads(ACTIONS.customersMerge) },
      { method: 'GET', path: '/inquiries', handler: 'inquiries.board', config: reads(ACTIONS.inquiriesManage) },
      { method: 'PUT', path: '/inquiries/:id/status', handler: 'inquiries.move', config: reads(ACTIONS.inquiriesManage) },
      { method: 'GET', path: '/live', handler: 'live.list', config: needs(ACTIONS.liveRead) },
      { method: 'POST', path: '/imports', handler: 'imports.start', config: needs(ACTIONS.customersImport) },
      { method: 'GET', path: '/imports/:id', handler: 'imports.status', config: needs(ACTIONS.customersImport) },
      { method: 'GET', path: '/export/customers.csv', handler: 'exports.customers', config: reads(ACTIONS.customersExport) },
      { method: 'GET', path: '/export/inquiries.csv', handler: 'exports.inquiries', config: reads(ACTIONS.customersExport) },
      ...engageAdminRoutes,
    ],
  },
};
