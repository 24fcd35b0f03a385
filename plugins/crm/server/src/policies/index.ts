import { ACTIONS } from '../permissions';
import type { AdminCtx } from '../utils/scope';

/**
 * Reading customers takes read-all OR read-own; admin::hasPermissions wants every action it
 * lists, so the read routes check this one instead (after admin::isAuthenticatedAdmin). Which
 * customers the caller then sees is decided per query (utils/scope.ts).
 */
const canReadCustomers = (policyContext: AdminCtx) => {
  const ability = policyContext.state.userAbility;
  return Boolean(ability && (ability.can(ACTIONS.customersReadAll) || ability.can(ACTIONS.customersReadOwn)));
};

export default { 'can-read-customers': canReadCustomers };
