import { engageAdminRoutes, engageContentApiRoutes } from './engage';

/** Content API at /api/crm, admin API at /crm. */
export default {
  'content-api': { type: 'content-api' as const, routes: [...engageContentApiRoutes] },
  admin: { type: 'admin' as const, routes: [...engageAdminRoutes] },
};
