import { ACTIONS } from '../permissions';

/** Admin routes (mounted at /lifecycle-email): each for logged-in admins whose role holds its action (permissions.ts). */
const admin = (action: string, ...more: string[]) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }, ...more],
});

export default {
  admin: {
    type: 'admin' as const,
    routes: [
      { method: 'POST', path: '/preview', handler: 'preview.render', config: admin(ACTIONS.preview) },
      // send-test.any, or the admin's own address as `to`
      { method: 'POST', path: '/send-test', handler: 'preview.sendTest', config: admin(ACTIONS.sendTest, 'plugin::lifecycle-email.send-test-recipient') },
      { method: 'GET', path: '/gallery', handler: 'library.gallery', config: admin(ACTIONS.galleryRead) },
      { method: 'GET', path: '/outbox', handler: 'library.outbox', config: admin(ACTIONS.outboxRead) },
      { method: 'GET', path: '/outbox/:file', handler: 'library.outboxMessage', config: admin(ACTIONS.outboxRead) },
    ],
  },
};
