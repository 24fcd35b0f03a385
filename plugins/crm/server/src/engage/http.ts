/** Service errors that carry an HTTP status become that status with Strapi's error body; the rest stay 500s. */
import type { Context } from 'koa';

export async function answer(ctx: Context, work: () => Promise<unknown>, okStatus = 200) {
  try {
    const body = await work();
    ctx.status = okStatus;
    if (okStatus !== 204) ctx.body = body;
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number' || status < 400 || status > 499) throw error;
    ctx.status = status;
    ctx.body = { data: null, error: { status, name: status === 404 ? 'NotFoundError' : status === 409 ? 'ConflictError' : 'ValidationError', message: (error as Error).message } };
  }
}

/** the request body as an object (never undefined) */
export const bodyOf = (ctx: Context) => {
  const body = (ctx.request as { body?: unknown }).body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
};
