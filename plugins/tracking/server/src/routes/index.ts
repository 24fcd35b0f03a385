import { ACTIONS } from '../permissions';

/**
 * Content API (mounted at /api/tracking): server-side calls authenticated with a Strapi API
 * token. Admin API (mounted at /tracking): the timeline, the overview and the site keys, each
 * for logged-in admins whose role holds its action (permissions.ts).
 * The public collect endpoint is not a route: it is mounted ahead of Strapi's stack.
 */
const token = {}; // default content-api auth: an API token (full access, or custom with these actions)
const admin = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});

export default {
  'content-api': {
    type: 'content-api' as const,
    routes: [
      { method: 'POST', path: '/v1/track', handler: 'server-api.track', config: token },
      { method: 'POST', path: '/v1/identify', handler: 'server-api.identify', config: token },
      { method: 'POST', path: '/v1/batch', handler: 'server-api.batch', config: token },
      { method: 'GET', path: '/v1/customers/:customerId/timeline', handler: 'server-api.timeline', config: token },
      // read by the tracker's platform add-ons on the storefront: public, rate-limited
      { method: 'GET', path: '/v1/sites/:key/form-rules', handler: 'form-rules.read', config: { auth: false as const } },
    ],
  },
  admin: {
    type: 'admin' as const,
    routes: [
      { method: 'GET', path: '/customers/:customerId/timeline', handler: 'server-api.timeline', config: admin(ACTIONS.timelineRead) },
      { method: 'GET', path: '/overview', handler: 'server-api.overview', config: admin(ACTIONS.overviewRead) },
      { method: 'GET', path: '/sites', handler: 'sites.list', config: admin(ACTIONS.sitesRead) },
      { method: 'POST', path: '/sites', handler: 'sites.create', config: admin(ACTIONS.sitesManage) },
      { method: 'PUT', path: '/sites/:key', handler: 'sites.update', config: admin(ACTIONS.sitesManage) },
      { method: 'DELETE', path: '/sites/:key', handler: 'sites.remove', config: admin(ACTIONS.sitesManage) },
      { method: 'GET', path: '/sites/:key/form-rules', handler: 'form-rules.list', config: admin(ACTIONS.sitesRead) },
      { method: 'PUT', path: '/sites/:key/form-rules', handler: 'form-rules.replace', config: admin(ACTIONS.sitesManage) },
    ],
  },
};
