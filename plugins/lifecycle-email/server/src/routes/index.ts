/** Admin routes (mounted at /lifecycle-email), for logged-in admins only. */
export default {
  admin: {
    type: 'admin' as const,
    routes: [
      {
        method: 'POST',
        path: '/preview',
        handler: 'preview.render',
        config: { policies: ['admin::isAuthenticatedAdmin'] },
      },
      {
        method: 'POST',
        path: '/send-test',
        handler: 'preview.sendTest',
        config: { policies: ['admin::isAuthenticatedAdmin'] },
      },
      { method: 'GET', path: '/gallery', handler: 'library.gallery', config: { policies: ['admin::isAuthenticatedAdmin'] } },
      { method: 'GET', path: '/outbox', handler: 'library.outbox', config: { policies: ['admin::isAuthenticatedAdmin'] } },
      { method: 'GET', path: '/outbox/:file', handler: 'library.outboxMessage', config: { policies: ['admin::isAuthenticatedAdmin'] } },
    ],
  },
};
