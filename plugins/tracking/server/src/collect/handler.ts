import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Core } from '@strapi/strapi';
import getRawBody from 'raw-body';
import { type RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { COLLECT_LIMITS, type CollectBatch, collectBatchSchema } from '../contracts/events';
import { getService, type ServiceOf } from '../utils/get-service';
import { cleanStrings, mayNeedCleaning } from '../contracts/text';
import { describeIssues } from '../utils/zod-message';
import { countryOf, parseClient } from './enrich';
import { ClosedError } from './group-commit';

export const COLLECT_PATH = '/moat/collect';
/** the 202 bodies, serialized once */
const ACCEPTED = Array.from({ length: COLLECT_LIMITS.maxEvents + 1 }, (_, n) => JSON.stringify({ accepted: n }));
const BOT_DROPPED = JSON.stringify({ accepted: 0, dropped: 'bot' });
const JSON_TYPE = 'application/json; charset=utf-8';

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
const tooLarge = () => new HttpError(413, 'PayloadTooLarge', `body is over ${COLLECT_LIMITS.maxBodyBytes} bytes`);

function readJson(req: IncomingMessage, done: (error: HttpError | null, json?: unknown) => void) {
  const type = req.headers['content-type'];
  if (type && !CONTENT_TYPES.test(type)) return done(new HttpError(415, 'UnsupportedMediaType', 'send the batch as text/plain or application/json'));
  if (Number(req.headers['content-length'] || 0) > COLLECT_LIMITS.maxBodyBytes) return done(tooLarge());
  // a Buffer, decoded once below (raw-body's own decoding goes through iconv-lite: slower)
  getRawBody(req, { limit: COLLECT_LIMITS.maxBodyBytes }, (error, buffer) => {
    if (error) {
      if ((error as { type?: string }).type === 'entity.too.large') return done(tooLarge());
      return done(new HttpError(400, 'BadRequest', `could not read the body: ${error.message}`));
    }
    if (buffer.length === 0) return done(new HttpError(400, 'ValidationError', 'body is empty: send {"site","visitor","events":[...]}'));
    let json: unknown;
    const text = buffer.toString('utf8');
    try {
      json = JSON.parse(text);
    } catch (parseError) {
      return done(new HttpError(400, 'ValidationError', `body is not valid JSON: ${(parseError as Error).message.slice(0, 200)}`));
    }
    done(null, mayNeedCleaning(text) ? cleanStrings(json) : json);
  });
}

async function limit(limiter: RateLimiterAbstract, key: string, points: number, what: string) {
  try {
    await limiter.consume(key, points);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new HttpError(429, 'RateLimitError', `too many ${what}: retry in ${retryAfter} s`, retryAfter);
  }
}

/** The client address as Koa computes it (server.proxy.koa trusts X-Forwarded-For & co.). */
export interface ProxyOptions {
  trust: boolean;
  header: string;
  maxIpsCount: number;
}
function clientIp(req: IncomingMessage, proxy: ProxyOptions): string {
  if (proxy.trust) {
    const value = req.headers[proxy.header];
    if (typeof value === 'string' && value) {
      let ips = value.split(/\s*,\s*/).filter(Boolean);
      if (proxy.maxIpsCount > 0) ips = ips.slice(-proxy.maxIpsCount);
      if (ips[0]) return ips[0];
    }
  }
  return req.socket.remoteAddress ?? '';
}

function send(res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body?: Buffer | string) {
  if (res.headersSent || res.destroyed) return;
  if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
  res.writeHead(status, headers);
  res.end(body);
}

type CollectState = {
  sites: ServiceOf<'sites'>;
  byIp: RateLimiterAbstract;
  bySite: RateLimiterAbstract;
  proxy: ProxyOptions;
  collector: ServiceOf<'collector'>;
};

/**
 * POST /moat/collect, answered straight from Node's HTTP server (see installCollect): no Koa
 * context, no Strapi middleware, no router. This path takes every storefront page view and
 * must stay lean; profiled, the Koa context, its listeners and Strapi's request-context
 * hooks were a tenth of its CPU. Every failure is a 4xx (or 503 while the store is
 * unavailable) with a JSON message; a 202 means the events are durable.
 */
export function createCollectHandler(strapi: Core.Strapi) {
  let state: CollectState | null = null;
  const init = (): CollectState => {
    const { byIp, bySite } = getService(strapi, 'rate-limits').get();
    state = {
      sites: getService(strapi, 'sites'),
      byIp,
      bySite,
      // looked up once: Strapi's service registry lookup showed in the profile of this path
      collector: getService(strapi, 'collector'),
      proxy: {
        trust: Boolean(strapi.config.get('server.proxy.koa')),
        header: String(strapi.config.get('server.proxy.ipHeader') ?? 'X-Forwarded-For').toLowerCase(),
        maxIpsCount: Number(strapi.config.get('server.proxy.maxIpsCount') ?? 0),
      },
    };
    return state;
  };

  function fail(req: IncomingMessage, res: ServerResponse, error: unknown) {
    const http =
      error instanceof HttpError ? error : new HttpError(400, 'BadRequest', `request rejected: ${(error as Error)?.message ?? 'unknown error'}`);
    if (!(error instanceof HttpError)) strapi.log.warn(`[tracking] collect: unexpected ${(error as Error)?.stack ?? error}`);
    const headers: OutgoingHttpHeaders = { 'Content-Type': JSON_TYPE, Vary: 'Origin' };
    // a storefront's own script may read why it was refused; any other page may not
    const origin = req.headers.origin;
    if (origin && state?.sites.registry().allowsAny(origin)) headers['Access-Control-Allow-Origin'] = origin;
    if (http.status === 405) headers.Allow = 'POST, OPTIONS';
    if (http.retryAfter) headers['Retry-After'] = String(http.retryAfter);
    if (http.status === 413) headers.Connection = 'close';
    send(res, http.status, headers, JSON.stringify({ error: { status: http.status, name: http.name, message: http.message } }));
  }

  async function accept(req: IncomingMessage, res: ServerResponse, json: unknown, ip: string) {
    const { bySite, collector } = state as CollectState;
    const sites = (state as CollectState).sites.registry();
    const parsed = collectBatchSchema.safeParse(json);
    if (!parsed.success) throw new HttpError(400, 'ValidationError', describeIssues(parsed.error.issues));
    const batch: CollectBatch = parsed.data;
    const origin = req.headers.origin;
    if (!sites.has(batch.site)) throw new HttpError(403, 'ForbiddenError', `unknown site key "${batch.site}"`);
    if (!origin) throw new HttpError(403, 'ForbiddenError', 'an Origin header is required');
    if (!sites.allows(batch.site, origin)) throw new HttpError(403, 'ForbiddenError', `origin ${origin.slice(0, 200)} is not allowed for site "${batch.site}"`);
    await limit(bySite, batch.site, batch.events.length, 'events for this site');
    const client = parseClient(req.headers['user-agent']);
    const headers: OutgoingHttpHeaders = { 'Content-Type': JSON_TYPE, Vary: 'Origin', 'Access-Control-Allow-Origin': origin };
    if (client.bot) return send(res, 202, headers, BOT_DROPPED);
    try {
      await collector.submit({ batch, client, country: countryOf(ip), receivedAt: Date.now() });
    } catch (error) {
      if (!(error instanceof ClosedError)) strapi.log.error(`[tracking] collect write failed: ${(error as Error).message}`);
      throw new HttpError(503, 'ServiceUnavailable', 'events could not be stored right now; retry', 2);
    }
    send(res, 202, headers, ACCEPTED[batch.events.length]);
  }

  return function handleCollect(req: IncomingMessage, res: ServerResponse) {
    try {
      const { byIp, proxy } = state ?? init();
      if (req.method === 'OPTIONS') {
        // preflight for application/json senders: only origins some site allows get the
        // CORS headers (the body names no site yet); the POST itself checks the origin per site
        const origin = req.headers.origin;
        if (!origin || !(state as CollectState).sites.registry().allowsAny(origin)) return send(res, 204, { Vary: 'Origin' });
        return send(res, 204, {
          Vary: 'Origin',
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': 'POST',
          'Access-Control-Allow-Headers': 'content-type',
          'Access-Control-Max-Age': '86400',
        });
      }
      if (req.method !== 'POST') return fail(req, res, new HttpError(405, 'MethodNotAllowed', 'use POST'));
      const ip = clientIp(req, proxy);
      limit(byIp, ip, 1, 'requests from this address').then(
        () =>
          readJson(req, (error, json) => {
            if (error) return fail(req, res, error);
            accept(req, res, json, ip).catch((e) => fail(req, res, e));
          }),
        (error) => fail(req, res, error),
      );
    } catch (error) {
      fail(req, res, error);
    }
  };
}

const isCollectUrl = (url: string | undefined) =>
  !!url && url.startsWith(COLLECT_PATH) && (url.length === COLLECT_PATH.length || url[COLLECT_PATH.length] === '?');

/**
 * Puts the collect endpoint in front of Strapi: Node's HTTP server gets one request
 * listener that answers /moat/collect itself and hands everything else to Strapi's Koa
 * listener unchanged. Called in register, before the server listens.
 */
export function installCollect(strapi: Core.Strapi) {
  const server = strapi.server.httpServer;
  const strapiListeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  const handleCollect = createCollectHandler(strapi);
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (isCollectUrl(req.url)) return handleCollect(req, res);
    for (const listener of strapiListeners) listener.call(server, req, res);
  });
}
