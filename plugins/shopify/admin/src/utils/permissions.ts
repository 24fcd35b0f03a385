import { useRBAC } from '@strapi/strapi/admin';
import { ACTIONS } from '../../../server/src/permissions';

type Action = keyof typeof ACTIONS;
type Permission = { action: string; subject: null };

/** Strapi's permission shape for each action (plugin actions have no subject), for menu links and Page.Protect */
export const PERMISSIONS = Object.fromEntries(Object.entries(ACTIONS).map(([key, action]) => [key, [{ action, subject: null }]])) as Record<Action, Permission[]>;

/**
 * Whether the logged-in admin holds `action` (false while loading), to hide what they may not use.
 * One action per useRBAC call: it names its answers by an action's last segment, so two `….read`
 * actions in one call would both be `canRead`.
 */
export const useCan = (action: Action): boolean => {
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS[action]);
  return !isLoading && Object.values(allowedActions).some(Boolean);
};
