/** Admin routes (mounted at /lifecycle-email): each for logged-in admins whose role holds its action (permissions.ts). */
export const admin = (action: string, ...more: string[]) => ({
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }, ...more],
});
