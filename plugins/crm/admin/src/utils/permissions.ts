import { useRBAC } from '@strapi/strapi/admin';
import { ACTIONS } from '../../../server/src/permissions';

type Action = keyof typeof ACTIONS;
type Permission = { action: string; subject: null };

/** Strapi's permission shape for each action (plugin actions have no subject), for menu links and Page.Protect */
export const PERMISSIONS = Object.fromEntries(Object.entries(ACTIONS).map(([key, action]) => [key, [{ action, subject: null }]])) as Record<Action, Permission[]>;
/** reading customers: all of them, or one's own and the pool's */
export const READ_CUSTOMERS = [...PERMISSIONS.customersReadAll, ...PERMISSIONS.customersReadOwn];

/** Whether the logged-in admin holds `action` (false while loading); one action per useRBAC call (see tracking's utils). */
export const useCan = (action: Action): boolean => {
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS[action]);
  return !isLoading && Object.values(allowedActions).some(Boolean);
};
