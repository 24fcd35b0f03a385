import type { Context } from 'koa';
import { ACTIONS } from '../permissions';

/**
 * Whose customers an admin may see: every customer (read-all) or only those they own and
 * those in the public pool (owner empty). Computed from the caller's role on every request,
 * so a role change applies at once; enforced in the queries, never only in the screens.
 */
export interface Scope {
  userId: number;
  all: boolean;
}

interface Ability {
  can(action: string, subject?: unknown): boolean;
}

export type AdminCtx = Context & {
  state: { user?: { id: number }; userAbility?: Ability };
  badRequest(message: string, details?: unknown): void;
  notFound(message: string): void;
  forbidden(message: string): void;
};

export const can = (ctx: AdminCtx, action: string): boolean => ctx.state.userAbility?.can(action) === true;

export function scopeOf(ctx: AdminCtx): Scope {
  return { userId: Number(ctx.state.user?.id), all: can(ctx, ACTIONS.customersReadAll) };
}

/** Document Service filter for "what this scope sees" (owner is a relation to admin users). */
export const scopeFilter = (scope: Scope): Record<string, unknown> =>
  scope.all ? {} : { $or: [{ owner: { id: scope.userId } }, { owner: { id: { $null: true } } }] };

/** whether a record with this owner (id or null) is visible to the scope */
export const sees = (scope: Scope, ownerId: number | null | undefined): boolean => scope.all || ownerId == null || Number(ownerId) === scope.userId;
