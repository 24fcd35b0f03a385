import { errors } from '@strapi/utils';
import { ACTIONS } from '../permissions';
import type { AdminPolicyContext } from './send-test-recipient';

/**
 * POST /preview and /send-test with a `customerId` render a real customer's personal data:
 * that needs `preview.customer` on top of the route's own action. Without a customerId the
 * sample data is used and this policy lets the request through.
 */
export default (ctx: AdminPolicyContext & { request: { body?: { customerId?: unknown } } }) => {
  const customerId = ctx.request.body?.customerId;
  if (customerId === undefined || customerId === null || customerId === '') return true;
  if (ctx.state.userAbility?.can(ACTIONS.previewCustomer)) return true;
  throw new errors.PolicyError("Previewing with a real customer's data needs the \"Preview with a real customer's data\" permission");
};
