import type { CollectBatch } from '../contracts/events';
import type { Client } from './enrich';

/** A validated, enriched request waiting in the group commit. */
export interface AcceptedBatch {
  batch: CollectBatch;
  receivedAt: number;
  client: Client;
  country: string | null;
}

/** Below this, "received - sent" is mostly network delay, not a wrong clock: correcting by it
 * would reorder events of batches that travelled at different speeds. */
const SKEW_THRESHOLD_MS = 60_000;

/** Event times come from the visitor's clock: shift them when that clock is clearly off, and
 * keep them within a sane window (a week back, a second ahead of arrival). */
export function correctedTime(ts: number, accepted: AcceptedBatch): number {
  const measured = accepted.batch.sent ? accepted.receivedAt - accepted.batch.sent : 0;
  const skew = Math.abs(measured) > SKEW_THRESHOLD_MS ? measured : 0;
  const at = ts + skew;
  if (at > accepted.receivedAt + 1000 || at < accepted.receivedAt - 7 * 86_400_000) return accepted.receivedAt;
  return at;
}
