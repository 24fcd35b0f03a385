import { useAuth } from '@strapi/strapi/admin';
import { ACTIONS } from '../../../server/src/permissions';

type Action = keyof typeof ACTIONS;
type Permission = { action: string; subject: null };

/** Strapi's permission shape for each action (plugin actions have no subject), for menu links and Page.Protect */
export const PERMISSIONS = Object.fromEntries(Object.entries(ACTIONS).map(([key, action]) => [key, [{ action, subject: null }]])) as Record<Action, Permission[]>;

/**
 * Whether the logged-in admin holds `action`, read from the permissions the admin panel loaded
 * for them: false until they arrive, then it updates. Not useRBAC: that checks once, on the
 * first render, so a page opened before the permissions arrived (a direct link, a slow server)
 * kept every control hidden until a reload. The server checks every call again.
 */
export const useCan = (action: Action): boolean => {
  const permissions = useAuth('moat.useCan', (state) => state.permissions);
  return permissions.some((p) => p.action === ACTIONS[action]);
};
