import { setTimeout as sleep } from 'node:timers/promises';
import { backoffMs, isTransient, nextPageInfo, parseCallLimit, retryAfterMs, throttleDelayMs } from './http-policy';

export interface AdminClientOptions {
  shop: string;
  accessToken: string;
  apiVersion: string;
  /** tests and local stand-ins: <origin>/<shop>/admin/... instead of https://<shop>/admin/... */
  apiOrigin?: string;
  maxAttempts?: number;
  signal?: AbortSignal;
  /** retries and throttling, for the log */
  onWait?: (reason: string, ms: number) => void;
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  /** page_info of the next page, null after the last */
  next: string | null;
}

/**
 * A small Admin REST API reader for the backfill: GET only, cursor paging by Link headers,
 * 429s retried after Retry-After, 5xx and network errors retried with backoff, and a pause
 * whenever the call-limit bucket is nearly full (so 429s stay rare).
 */
export class AdminClient {
  private pauseUntil = 0;

  constructor(private readonly options: AdminClientOptions) {}

  private url(path: string, query: Record<string, string>): string {
    const { shop, apiOrigin, apiVersion } = this.options;
    const base = apiOrigin ? `${apiOrigin.replace(/\/$/, '')}/${shop}` : `https://${shop}`;
    return `${base}/admin/api/${apiVersion}/${path}?${new URLSearchParams(query)}`;
  }

  async get(path: string, query: Record<string, string> = {}): Promise<{ body: unknown; headers: Headers }> {
    const maxAttempts = this.options.maxAttempts ?? 10;
    const { signal, onWait } = this.options;
    for (let attempt = 1; ; attempt++) {
      const wait = this.pauseUntil - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      let status: number | null = null;
      let retryAfter: number | null = null;
      let reason: string;
      try {
        const res = await fetch(this.url(path, query), {
          headers: { 'X-Shopify-Access-Token': this.options.accessToken, Accept: 'application/json' },
          signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(60_000)]) : AbortSignal.timeout(60_000),
        });
        status = res.status;
        if (res.ok) {
          // a 429's Retry-After says how long to wait; on success the bucket's level does
          const delay = throttleDelayMs(parseCallLimit(res.headers.get('x-shopify-shop-api-call-limit')));
          if (delay > 0) {
            this.pauseUntil = Date.now() + delay;
            onWait?.('call limit near the bucket size', delay);
          }
          return { body: await res.json(), headers: res.headers };
        }
        const text = (await res.text().catch(() => '')).slice(0, 300);
        if (!isTransient(res.status)) throw new AdminApiError(`GET ${path}: HTTP ${res.status} ${text}`.trim(), res.status);
        retryAfter = retryAfterMs(res.headers.get('retry-after'));
        reason = `HTTP ${res.status}`;
      } catch (error) {
        if (error instanceof AdminApiError || signal?.aborted) throw error;
        reason = `network: ${(error as Error).message}`;
      }
      if (attempt >= maxAttempts) throw new AdminApiError(`GET ${path}: ${reason} after ${attempt} attempts`, status);
      const ms = backoffMs(attempt, retryAfter);
      onWait?.(reason, ms);
      await sleep(ms, undefined, { signal });
    }
  }

  /** one page of a list endpoint: the first (with `first` filters) or the one `pageInfo` names */
  async page<T>(resource: string, pageInfo: string | null, first: Record<string, string> = {}, limit = 250): Promise<Page<T>> {
    // with page_info Shopify accepts only limit (and fields): the filters live in the cursor
    const query: Record<string, string> = pageInfo ? { limit: String(limit), page_info: pageInfo } : { ...first, limit: String(limit) };
    const { body, headers } = await this.get(`${resource}.json`, query);
    const items = (body as Record<string, unknown>)?.[resource];
    if (!Array.isArray(items)) throw new AdminApiError(`GET ${resource}.json: the answer has no "${resource}" list`, 200);
    return { items: items as T[], next: nextPageInfo(headers.get('link')) };
  }

  async count(resource: string, filters: Record<string, string> = {}): Promise<number | null> {
    const { body } = await this.get(`${resource}/count.json`, filters);
    const count = (body as { count?: unknown })?.count;
    return typeof count === 'number' ? count : null;
  }
}
