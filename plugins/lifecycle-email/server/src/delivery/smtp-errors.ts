/**
 * What a failed send means for the address: "transient" (4xx reply, connection trouble:
 * try again later), "permanent" (5xx reply: the address or message is refused; a hard bounce
 * suppresses the address).
 */
export type FailureClass = 'transient' | 'permanent';

const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EPROTOCOL', 'ETLS', 'EAUTH']);

export function classifySmtpError(error: unknown): { class: FailureClass; detail: string; code?: number } {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  const detail = String(e?.response ?? e?.message ?? error).slice(0, 400);
  if (typeof e?.responseCode === 'number') {
    if (e.responseCode >= 500) return { class: 'permanent', detail, code: e.responseCode };
    return { class: 'transient', detail, code: e.responseCode };
  }
  if (e?.code && CONNECTION_CODES.has(e.code)) return { class: 'transient', detail };
  return { class: 'transient', detail };
}

/** Delay before retry n (1-based): base · 2^(n-1), capped, with ±20 % jitter so retries spread. */
export function backoffMs(attempt: number, baseMs: number, maxMs = 3_600_000, random = Math.random): number {
  const raw = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}
