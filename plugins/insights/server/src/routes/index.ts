import { ACTIONS } from '../permissions';

/**
 * Content API (/api/insights/v1/..., API token) and admin API (/insights/..., each behind its
 * admin action, permissions.ts). Same handlers: the admin dashboard and other systems (a BI
 * export, an ad platform sync) read the same numbers.
 */
const token = {};
const admin = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});
const reads = ['funnel', 'alert', 'sources', 'seasonality', 'questions', 'dashboard'] as const;

export default {
  'content-api': {
    type: 'content-api' as const,
    routes: [
      ...reads.map((r) => ({ method: 'GET', path: `/v1/${r}`, handler: `insights.${r}`, config: token })),
      { method: 'POST', path: '/v1/spend', handler: 'spend.upload', config: token },
    ],
  },
  admin: {
    type: 'admin' as const,
    routes: [
      ...reads.map((r) => ({ method: 'GET', path: `/${r}`, handler: `insights.${r}`, config: admin(ACTIONS.read) })),
      { method: 'POST', path: '/spend', handler: 'spend.upload', config: admin(ACTIONS.spendManage) },
      { method: 'POST', path: '/rollups/rebuild', handler: 'insights.rebuild', config: admin(ACTIONS.admin) },
      { method: 'POST', path: '/digest', handler: 'insights.digest', config: admin(ACTIONS.admin) },
    ],
  },
};
