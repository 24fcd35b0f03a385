import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { COLLECT_LIMITS, collectBatchSchema } from '../contracts/events';
import type { SiteConfig, TrackingConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { describeIssues } from '../utils/zod-message';
import { countryOf, parseClient } from './enrich';
import { ClosedError } from './group-commit';
import { SiteRegistry } from './sites';

export const COLLECT_PATH = '/moat/collect';
/** the 202 bodies, serialized once */
const ACCEPTED = Array.from({ length: COLLECT_LIMITS.maxEvents + 1 }, (_, n) => JSON.stringify({ accepted: n }));

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly name: string,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const CONTENT_TYPES = /^(text\/plain|application\/json)\s*(;|$)/i;

async function readJson(ctx: Context): Promise<unknown> {
  const type = ctx.get('content-type');
  if (type && !CONTENT_TYPES.test(type)) throw new HttpError(415, 'UnsupportedMediaType', 'send the batch as text/plain or application/json');
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > COLLECT_LIMITS.maxBodyBytes) throw new HttpError(413, 'PayloadTooLarge', `body is over ${COLLECT_LIMITS.maxBodyBytes} bytes`);
  let text: string;
  try {
    // a Buffer, decoded once below (raw-body's own decoding goes through iconv-lite: slower)
    text = (await getRawBody(ctx.req, { limit: COLLECT_LIMITS.maxBodyBytes })).toString('utf8');
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw new HttpError(413, 'PayloadTooLarge', `body is over ${COLLECT_LIMITS.maxBodyBytes} bytes`);
    throw new HttpError(400, 'BadRequest', `could not read the body: ${(error as Error).message}`);
  }
  if (text.length === 0) throw new HttpError(400, 'ValidationError', 'body is empty: send {"site","visitor","events":[...]}');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'ValidationError', `body is not valid JSON: ${(error as Error).message.slice(0, 200)}`);
  }
}

async function limit(limiter: RateLimiterMemory, key: string, points: number, what: string) {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new HttpError(429, 'RateLimitError', `too many ${what}: retry in ${retryAfter} s`, retryAfter);
  }
}

/**
 * POST /moat/collect, mounted with strapi.server.use in register so it runs before Strapi's
 * middleware stack (security headers, body parser, session, router): this path is hot and
 * must stay lean. Every failure is a 4xx (or 503 while the store is unavailable) with a
 * message; a 202 means the events are durable.
 */
export function createCollectMiddleware(strapi: Core.Strapi) {
  let state: { sites: SiteRegistry; byIp: RateLimiterMemory; bySite: RateLimiterMemory; config: TrackingConfig } | null = null;
  const init = () => {
    const config = strapi.config.get(`plugin::${PLUGIN_ID}`) as TrackingConfig;
    const { ipPoints, sitePoints, duration } = config.rateLimit;
    state = {
      config,
      sites: new SiteRegistry(config.sites as SiteConfig[]), // normalized in register
      byIp: new RateLimiterMemory({ points: ipPoints, duration }),
      bySite: new RateLimiterMemory({ points: sitePoints, duration }),
    };
    return state;
  };

  async function collect(ctx: Context) {
    const { sites, byIp, bySite } = state ?? init();
    const origin = ctx.get('origin');
    if (ctx.method === 'OPTIONS') {
      // preflight for application/json senders; the POST itself checks the origin per site
      ctx.set('Access-Control-Allow-Origin', origin || '*');
      ctx.set('Access-Control-Allow-Methods', 'POST');
      ctx.set('Access-Control-Allow-Headers', 'content-type');
      ctx.set('Access-Control-Max-Age', '86400');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'POST') {
      ctx.set('Allow', 'POST, OPTIONS');
      throw new HttpError(405, 'MethodNotAllowed', 'use POST');
    }
    await limit(byIp, ctx.ip, 1, 'requests from this address');
    const parsed = collectBatchSchema.safeParse(await readJson(ctx));
    if (!parsed.success) throw new HttpError(400, 'ValidationError', describeIssues(parsed.error.issues));
    const batch = parsed.data;
    if (!sites.has(batch.site)) throw new HttpError(403, 'ForbiddenError', `unknown site key "${batch.site}"`);
    if (!origin) throw new HttpError(403, 'ForbiddenError', 'an Origin header is required');
    if (!sites.allows(batch.site, origin)) throw new HttpError(403, 'ForbiddenError', `origin ${origin.slice(0, 200)} is not allowed for site "${batch.site}"`);
    ctx.set('Access-Control-Allow-Origin', origin);
    await limit(bySite, batch.site, batch.events.length, 'events for this site');
    const client = parseClient(ctx.get('user-agent'));
    if (client.bot) {
      ctx.status = 202;
      ctx.body = { accepted: 0, dropped: 'bot' };
      return;
    }
    try {
      await getService(strapi, 'collector').submit({ batch, client, country: countryOf(ctx.ip), receivedAt: Date.now() });
    } catch (error) {
      if (!(error instanceof ClosedError)) strapi.log.error(`[tracking] collect write failed: ${(error as Error).message}`);
      throw new HttpError(503, 'ServiceUnavailable', 'events could not be stored right now; retry', 2);
    }
    ctx.status = 202;
    ctx.type = 'json';
    ctx.body = ACCEPTED[batch.events.length];
  }

  return async (ctx: Context, next: Next) => {
    if (ctx.path !== COLLECT_PATH) return next();
    ctx.set('Vary', 'Origin');
    try {
      await collect(ctx);
    } catch (error) {
      const http =
        error instanceof HttpError ? error : new HttpError(400, 'BadRequest', `request rejected: ${(error as Error)?.message ?? 'unknown error'}`);
      if (!(error instanceof HttpError)) strapi.log.warn(`[tracking] collect: unexpected ${(error as Error)?.stack ?? error}`);
      if (http.retryAfter) ctx.set('Retry-After', String(http.retryAfter));
      if (http.status === 413) ctx.set('Connection', 'close');
      if (!ctx.response.get('Access-Control-Allow-Origin') && ctx.get('origin')) ctx.set('Access-Control-Allow-Origin', ctx.get('origin'));
      ctx.status = http.status;
      ctx.body = { error: { status: http.status, name: http.name, message: http.message } };
    }
  };
}
