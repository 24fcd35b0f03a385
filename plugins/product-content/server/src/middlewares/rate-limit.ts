import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { PLUGIN_ID } from '../utils/constants';

/**
 * Per-IP limit for the public read API. Responses are cacheable, so a well-behaved
 * storefront stays far below it; a scraper gets 429 with Retry-After.
 */
/**
 * Strapi builds a route middleware once per route: the limiter lives per Strapi instance, so
 * an IP has one budget across every product-content route (it once had one per route).
 */
const limiters = new WeakMap<Core.Strapi, RateLimiterMemory>();
function limiterOf(strapi: Core.Strapi): RateLimiterMemory {
  let limiter = limiters.get(strapi);
  if (!limiter) {
    const { points, duration } = strapi.plugin(PLUGIN_ID).config('rateLimit') as { points: number; duration: number };
    limiter = new RateLimiterMemory({ points, duration });
    limiters.set(strapi, limiter);
  }
  return limiter;
}

export default (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  const limiter = limiterOf(strapi);
  return async (ctx: Context, next: Next) => {
    try {
      await limiter.consume(ctx.ip);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      ctx.set('Retry-After', String(retryAfter));
      ctx.status = 429;
      ctx.body = { error: { status: 429, name: 'RateLimitError', message: `Too many requests: retry in ${retryAfter} s` } };
      return;
    }
    await next();
  };
};
