import { ACTIONS } from '../permissions';
import { admin } from './admin-policy';

/** Lifecycle flows (admin): list with stats, create, change / enable / disable, enrollments. */
export const flowRoutes = [
  { method: 'GET', path: '/flows', handler: 'flows.list', config: admin(ACTIONS.flowsRead) },
  { method: 'POST', path: '/flows', handler: 'flows.create', config: admin(ACTIONS.flowsManage) },
  { method: 'PUT', path: '/flows/:id', handler: 'flows.update', config: admin(ACTIONS.flowsManage) },
  { method: 'GET', path: '/flows/:id/enrollments', handler: 'flows.enrollments', config: admin(ACTIONS.flowsRead) },
];
