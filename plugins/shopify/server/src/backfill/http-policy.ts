/**
 * The Admin REST API's paging and rate-limit signals, as pure functions (unit-tested):
 * Link header cursors, the leaky bucket in X-Shopify-Shop-Api-Call-Limit, and how long to
 * wait before a retry.
 */

/** page_info of the rel="next" page in a Link header, or null on the last page. */
export function nextPageInfo(link: string | null | undefined): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return new URL(match[1], 'https://x.invalid').searchParams.get('page_info');
  }
  return null;
}

/** "32/40" → { used: 32, limit: 40 }; anything else → null */
export function parseCallLimit(header: string | null | undefined): { used: number; limit: number } | null {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(header ?? '');
  if (!match) return null;
  const used = Number(match[1]);
  const limit = Number(match[2]);
  return limit > 0 ? { used, limit } : null;
}

/** Shopify's REST bucket leaks this many calls per second (standard plans). */
export const LEAK_PER_SECOND = 2;

/**
 * How long to pause before the next call so the bucket stays below 80 %: nothing while
 * there is room, then the time the bucket needs to drain back to that mark.
 */
export function throttleDelayMs(callLimit: { used: number; limit: number } | null): number {
  if (!callLimit) return 0;
  const mark = Math.floor(callLimit.limit * 0.8);
  return callLimit.used < mark ? 0 : Math.ceil(((callLimit.used - mark + 1) / LEAK_PER_SECOND) * 1000);
}

/** Retry-After in seconds ("2.0", "1") or an HTTP date → ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Wait before retry number `attempt` (1-based): Retry-After when the server gave one (never
 * less), else exponential backoff from `baseMs` with jitter, capped at `maxMs`.
 */
export function backoffMs(attempt: number, retryAfter: number | null, baseMs = 500, maxMs = 30_000, random = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  const jittered = Math.round(exponential / 2 + (random() * exponential) / 2);
  return retryAfter !== null ? Math.max(retryAfter, Math.min(jittered, retryAfter + baseMs)) : jittered;
}

/** 429 and 5xx are worth retrying; other 4xx (401 revoked token, 403 scope, 404) are not. */
export const isTransient = (status: number) => status === 429 || status >= 500;
