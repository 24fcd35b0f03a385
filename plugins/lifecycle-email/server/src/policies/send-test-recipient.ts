import { errors } from '@strapi/utils';
import { ACTIONS } from '../permissions';

export interface AdminPolicyContext {
  state: { user?: { email?: string }; userAbility?: { can(action: string): boolean } };
  request: { body?: { to?: unknown } };
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * POST /send-test mails a real message to whoever is named in `to`: with `send-test` alone an
 * admin may only send to their own login address; any other address needs `send-test.any`.
 * A PolicyError is a 403 whose message reaches the admin (a plain `false` says "Policy Failed").
 */
export default (ctx: AdminPolicyContext) => {
  const to = ctx.request.body?.to;
  const own = ctx.state.user?.email;
  if (typeof to === 'string' && own && sameAddress(to, own)) return true;
  if (ctx.state.userAbility?.can(ACTIONS.sendTestAny)) return true;
  throw new errors.PolicyError(`You may send test emails to your own address (${own ?? 'unknown'}) only`);
};
