import type { CollectBatch } from '../contracts/events';
import type { Client } from './enrich';

/** A validated, enriched request waiting in the group commit. */
export interface AcceptedBatch {
  batch: CollectBatch;
  receivedAt: number;
  client: Client;
  country: string | null;
}

/** Event times come from the visitor's clock: shift them by the batch's measured skew and
 * keep them within a sane window (a week back, a second ahead of arrival). */
export function correctedTime(ts: number, accepted: AcceptedBatch): number {
  const skew = accepted.batch.sent ? accepted.receivedAt - accepted.batch.sent : 0;
  const at = ts + skew;
  if (at > accepted.receivedAt + 1000 || at < accepted.receivedAt - 7 * 86_400_000) return accepted.receivedAt;
  return at;
}
