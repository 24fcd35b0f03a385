/**
 * Content API (mounted at /api/tracking): server-side calls authenticated with a Strapi API
 * token. Admin API (mounted at /tracking): the timeline, the overview and the site keys, for
 * logged-in admins.
 * The public collect endpoint is not a route: it is mounted ahead of Strapi's stack.
 */
const token = {}; // default content-api auth: an API token (full access, or custom with these actions)
const admin = { policies: ['admin::isAuthenticatedAdmin'] };

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
      { method: 'GET', path: '/customers/:customerId/timeline', handler: 'server-api.timeline', config: admin },
      { method: 'GET', path: '/overview', handler: 'server-api.overview', config: admin },
      { method: 'GET', path: '/sites', handler: 'sites.list', config: admin },
      { method: 'POST', path: '/sites', handler: 'sites.create', config: admin },
      { method: 'PUT', path: '/sites/:key', handler: 'sites.update', config: admin },
      { method: 'DELETE', path: '/sites/:key', handler: 'sites.remove', config: admin },
      { method: 'GET', path: '/sites/:key/form-rules', handler: 'form-rules.list', config: admin },
      { method: 'PUT', path: '/sites/:key/form-rules', handler: 'form-rules.replace', config: admin },
    ],
  },
};
