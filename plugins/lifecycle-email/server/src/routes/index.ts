import { ACTIONS } from '../permissions';
import { admin } from './admin-policy';
import { flowRoutes } from './flows';
import { campaignRoutes } from './campaigns';

const CUSTOMER_DATA = 'plugin::lifecycle-email.customer-data';

/** Public routes for the links in sent mail (/api/lifecycle-email/...): signed tokens, rate-limited per IP. */
const link = { auth: false as const, middlewares: ['plugin::lifecycle-email.link-rate-limit'] };

export default {
  'content-api': {
    type: 'content-api' as const,
    routes: [
      { method: 'GET', path: '/u/:token', handler: 'links.preferences', config: link },
      { method: 'POST', path: '/u/:token', handler: 'links.unsubscribe', config: link },
      { method: 'GET', path: '/o/:token', handler: 'links.open', config: link },
      { method: 'GET', path: '/c/:token', handler: 'links.click', config: link },
      { method: 'GET', path: '/v/:token', handler: 'links.view', config: link },
    ],
  },
  admin: {
    type: 'admin' as const,
    routes: [
      // with a customerId: preview.customer too (customer-data policy)
      { method: 'POST', path: '/preview', handler: 'preview.render', config: admin(ACTIONS.preview, CUSTOMER_DATA) },
      { method: 'GET', path: '/preview-customers', handler: 'preview.customers', config: admin(ACTIONS.previewCustomer) },
      // send-test.any, or the admin's own address as `to`
      { method: 'POST', path: '/send-test', handler: 'preview.sendTest', config: admin(ACTIONS.sendTest, 'plugin::lifecycle-email.send-test-recipient', CUSTOMER_DATA) },
      { method: 'GET', path: '/gallery', handler: 'library.gallery', config: admin(ACTIONS.galleryRead) },
      { method: 'GET', path: '/outbox', handler: 'library.outbox', config: admin(ACTIONS.outboxRead) },
      { method: 'GET', path: '/outbox/:file', handler: 'library.outboxMessage', config: admin(ACTIONS.outboxRead) },
      { method: 'GET', path: '/messages', handler: 'messageLog.search', config: admin(ACTIONS.messagesRead) },
      { method: 'POST', path: '/messages/:id/retry', handler: 'messageLog.retry', config: admin(ACTIONS.messagesRetry) },
      ...flowRoutes,
      ...campaignRoutes,
    ],
  },
};
