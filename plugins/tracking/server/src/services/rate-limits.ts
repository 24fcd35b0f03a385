import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { TrackingConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';

export interface CollectLimiters {
  /** requests per client IP */
  byIp: RateLimiterAbstract;
  /** events per site key */
  bySite: RateLimiterAbstract;
}

/**
 * The collect endpoint's rate limits. `memory` (default): each instance counts on its own.
 * `redis` (MOAT_RATE_LIMIT_STORE=redis): every instance counts in one Redis, so the limits
 * hold for the whole deployment; if Redis is unreachable each instance falls back to its own
 * in-memory count (an insurance limiter) rather than failing or letting everything through.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let limiters: CollectLimiters | null = null;
  let redis: Redis | null = null;

  function create(): CollectLimiters {
    const { ipPoints, sitePoints, duration, store } = strapi.plugin(PLUGIN_ID).config('rateLimit') as TrackingConfig['rateLimit'];
    const memory = (points: number) => new RateLimiterMemory({ points, duration });
    if (store !== 'redis') return { byIp: memory(ipPoints), bySite: memory(sitePoints) };
    const url = String(strapi.config.get('redis.url'));
    // no offline queue and one retry: a request must not wait for Redis to come back
    redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    // host and port only: the URL may carry a password
    const where = URL.canParse(url) ? new URL(url).host : 'REDIS_URL';
    let warned = false;
    redis.on('error', (error: Error) => {
      if (!warned) strapi.log.warn(`[tracking] rate limits: Redis at ${where} failed (${error.message}); counting in memory meanwhile`);
      warned = true;
    });
    redis.on('ready', () => {
      warned = false;
    });
    const shared = (keyPrefix: string, points: number) =>
      new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration, insuranceLimiter: memory(points) });
    return { byIp: shared('moat:collect:ip', ipPoints), bySite: shared('moat:collect:site', sitePoints) };
  }

  return {
    /** At bootstrap: with Redis, connect before the first request (up to 3 s), so requests
     * are counted in Redis from the start instead of in the fallback. */
    async start() {
      limiters ??= create();
      const client = redis;
      if (!client || client.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 3000);
        client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    get(): CollectLimiters {
      limiters ??= create();
      return limiters;
    },
    async close() {
      const client = redis;
      redis = null;
      limiters = null;
      if (client) await client.quit().catch(() => client.disconnect());
    },
  };
};
