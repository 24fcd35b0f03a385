import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { DEFAULT_DELIVERY, type DeliveryConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';

/** One budget per IP across every mail-link route of a Strapi instance (Strapi builds the middleware per route). */
const perInstance = new WeakMap<Core.Strapi, RateLimiterMemory>();

/**
 * Mail links are public: a per-IP limit (requests per minute, MOAT_EMAIL_LINK_RATE_LIMIT)
 * keeps token guessing and pixel floods cheap. Real readers click a few links a minute.
 */
export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  let limiter = perInstance.get(strapi);
  if (!limiter) {
    const d: DeliveryConfig = { ...DEFAULT_DELIVERY, ...(strapi.plugin(PLUGIN_ID).config('delivery') as Partial<DeliveryConfig>) };
    limiter = new RateLimiterMemory({ points: d.linkRatePerMinute, duration: 60 });
    perInstance.set(strapi, limiter);
  }
  const bucket = limiter;
  return async (ctx: Context, next: Next) => {
    if ((ctx.params?.token?.length ?? 0) > 4096) {
      ctx.status = 414;
      ctx.body = 'link too long';
      return;
    }
    try {
      await bucket.consume(ctx.ip);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      ctx.set('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
      ctx.status = 429;
      ctx.body = 'Too many requests';
      return;
    }
    await next();
  };
};
