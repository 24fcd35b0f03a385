/**
 * Routes of the CRM's engagement part: segments, the public pool, overdue follow-ups and
 * quotes (admin, each behind a CRM action), and the buyer's quote link (public, rate-limited).
 */
import { ACTIONS } from '../permissions';

const admin = (action: string) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
});

export const engageContentApiRoutes = [{ method: 'GET', path: '/quotes/:token', handler: 'quotes.open', config: { auth: false as const } }];

export const engageAdminRoutes = [
  { method: 'GET', path: '/segments', handler: 'segments.list', config: admin(ACTIONS.segmentsRead) },
  { method: 'POST', path: '/segments', handler: 'segments.create', config: admin(ACTIONS.segmentsManage) },
  { method: 'POST', path: '/segments/count', handler: 'segments.count', config: admin(ACTIONS.segmentsRead) },
  { method: 'POST', path: '/segments/members', handler: 'segments.members', config: admin(ACTIONS.segmentsRead) },
  { method: 'GET', path: '/segments/:id', handler: 'segments.findOne', config: admin(ACTIONS.segmentsRead) },
  { method: 'PUT', path: '/segments/:id', handler: 'segments.update', config: admin(ACTIONS.segmentsManage) },
  { method: 'DELETE', path: '/segments/:id', handler: 'segments.remove', config: admin(ACTIONS.segmentsManage) },
  { method: 'GET', path: '/pool', handler: 'pool.list', config: admin(ACTIONS.poolManage) },
  { method: 'POST', path: '/pool/claim', handler: 'pool.claim', config: admin(ACTIONS.poolManage) },
  { method: 'POST', path: '/pool/release', handler: 'pool.release', config: admin(ACTIONS.poolManage) },
  { method: 'GET', path: '/follow-ups/overdue', handler: 'pool.overdue', config: admin(ACTIONS.inquiriesManage) },
  { method: 'GET', path: '/inquiries/:id/quotes', handler: 'quotes.list', config: admin(ACTIONS.inquiriesManage) },
  { method: 'POST', path: '/inquiries/:id/quotes', handler: 'quotes.attach', config: admin(ACTIONS.inquiriesManage) },
  { method: 'POST', path: '/quotes/:id/send', handler: 'quotes.send', config: admin(ACTIONS.inquiriesManage) },
];
