import type { z } from 'zod';
import { CrmError } from '../utils/errors';
import type { AdminCtx } from '../utils/scope';

const NAMES: Record<number, string> = { 400: 'ValidationError', 403: 'ForbiddenError', 404: 'NotFoundError', 409: 'ConflictError', 501: 'NotImplementedError' };

/** Parses input with a zod schema; a failure is a 400 naming the fields. Returns undefined after answering. */
export function parsed<T extends z.ZodType>(ctx: AdminCtx, schema: T, input: unknown): z.infer<T> | undefined {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.slice(0, 10).map((i) => ({ path: i.path.map(String), message: i.message }));
  ctx.status = 400;
  ctx.body = { data: null, error: { status: 400, name: 'ValidationError', message: errors.map((e) => `${e.path.join('.') || 'body'}: ${e.message}`).join('; '), details: { errors } } };
  return undefined;
}

/** Runs the work; a CrmError becomes its status and message, anything else stays a 500. */
export async function answer(ctx: AdminCtx, work: () => Promise<unknown>, status = 200): Promise<void> {
  try {
    ctx.body = await work();
    ctx.status = status;
  } catch (error) {
    if (!(error instanceof CrmError)) throw error;
    ctx.status = error.status;
    ctx.body = { data: null, error: { status: error.status, name: NAMES[error.status], message: error.message } };
  }
}
