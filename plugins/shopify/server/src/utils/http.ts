import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

export function replyJson(ctx: Context, status: number, body: unknown) {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(body);
}

/** Strapi's error shape; anything not an HttpError is logged and answered 400, never 500. */
export function replyError(strapi: Core.Strapi, ctx: Context, error: unknown) {
  const http = error instanceof HttpError ? error : new HttpError(400, 'BadRequest', 'request rejected');
  if (!(error instanceof HttpError)) strapi.log.warn(`[shopify] unexpected ${(error as Error)?.stack ?? error}`);
  if (http.status === 413) ctx.set('Connection', 'close');
  replyJson(ctx, http.status, { data: null, error: { status: http.status, name: http.name, message: http.message } });
}
