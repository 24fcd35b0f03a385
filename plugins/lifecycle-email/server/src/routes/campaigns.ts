import { ACTIONS } from '../permissions';
import { admin } from './admin-policy';

/** Campaign admin routes (mounted at /lifecycle-email): read to see them and their progress, manage to change them. */
export const campaignRoutes = [
  { method: 'GET', path: '/campaigns', handler: 'campaigns.list', config: admin(ACTIONS.campaignsRead) },
  { method: 'POST', path: '/campaigns', handler: 'campaigns.create', config: admin(ACTIONS.campaignsManage) },
  { method: 'GET', path: '/campaigns/:id', handler: 'campaigns.findOne', config: admin(ACTIONS.campaignsRead) },
  { method: 'GET', path: '/campaigns/:id/report', handler: 'campaigns.report', config: admin(ACTIONS.campaignsRead) },
  ...(['send', 'pause', 'resume', 'cancel'] as const).map((action) => ({ method: 'POST', path: `/campaigns/:id/${action}`, handler: `campaigns.${action}`, config: admin(ACTIONS.campaignsManage) })),
];
