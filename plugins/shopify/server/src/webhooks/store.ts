import type { Knex } from 'knex';
import { TABLES } from '../utils/constants';
import { insertedCount } from '../utils/db';

export type WebhookStatus = 'received' | 'processed' | 'failed' | 'ignored';

export interface WebhookRow {
  webhook_id: string;
  shop: string;
  topic: string;
  status: WebhookStatus;
  payload: string | null;
  triggered_at: number | string | null;
  attempts: number | string;
  error: string | null;
  result: string | null;
  lease_until: number | string | null;
  received_at: number | string;
  processed_at: number | string | null;
  updated_at: number | string | null;
}

/** A delivery as the admin and the tests see it (never its payload). */
export interface WebhookView {
  webhookId: string;
  shop: string;
  topic: string;
  status: WebhookStatus;
  attempts: number;
  error: string | null;
  result: Record<string, unknown> | null;
  receivedAt: number;
  processedAt: number | null;
  updatedAt: number;
}

const num = (v: number | string | null) => (v == null ? null : Number(v));

export const toView = (row: WebhookRow): WebhookView => ({
  webhookId: row.webhook_id,
  shop: row.shop,
  topic: row.topic,
  status: row.status,
  attempts: Number(row.attempts),
  error: row.error,
  result: row.result ? JSON.parse(row.result) : null,
  receivedAt: Number(row.received_at),
  processedAt: num(row.processed_at),
  updatedAt: Number(row.updated_at ?? row.received_at),
});

/**
 * shopify_webhook_deliveries: one row per X-Shopify-Webhook-Id. A worker takes a lease on a
 * row before it runs it, so two jobs of one delivery (a re-enqueue racing a slow worker)
 * never process it twice.
 */
export class WebhookStore {
  constructor(private readonly knex: () => Knex) {}

  private table() {
    return this.knex()(TABLES.deliveries);
  }

  /** Records a delivery; false when its webhook id is already recorded (a duplicate). */
  async record(d: { webhookId: string; shop: string; topic: string; triggeredAt: number; payload: string | null; status: WebhookStatus }): Promise<boolean> {
    const now = Date.now();
    const rows = await this.table()
      .insert({ webhook_id: d.webhookId, shop: d.shop, topic: d.topic.slice(0, 64), status: d.status, payload: d.payload, triggered_at: d.triggeredAt, attempts: 0, received_at: now, updated_at: now })
      .onConflict('webhook_id')
      .ignore()
      .returning('webhook_id');
    return insertedCount(rows) === 1;
  }

  get(webhookId: string): Promise<WebhookRow | undefined> {
    return this.table().where({ webhook_id: webhookId }).first();
  }

  /** Takes the delivery for one attempt: the row as taken, or null (done, or another worker has it). */
  async lease(webhookId: string, leaseMs: number): Promise<WebhookRow | null> {
    const now = Date.now();
    const n = await this.table()
      .where({ webhook_id: webhookId, status: 'received' })
      .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now))
      .update({ lease_until: now + leaseMs, attempts: this.knex().raw('attempts + 1'), updated_at: now });
    return Number(n) === 1 ? ((await this.get(webhookId)) ?? null) : null;
  }

  /** The outcome; the payload goes (nothing left to run), the result stays. */
  async finish(webhookId: string, status: 'processed' | 'ignored', result: unknown): Promise<void> {
    const now = Date.now();
    await this.table()
      .where({ webhook_id: webhookId })
      .update({ status, payload: null, error: null, result: result == null ? null : JSON.stringify(result), lease_until: null, processed_at: now, updated_at: now });
  }

  /** An attempt failed: 'received' while retries are left, 'failed' (payload kept for a retry) when not. */
  async fail(webhookId: string, error: string, final: boolean): Promise<void> {
    await this.table()
      .where({ webhook_id: webhookId })
      .update({ status: final ? 'failed' : 'received', error: error.slice(0, 2000), lease_until: null, updated_at: Date.now() });
  }

  /** A failed delivery back to 'received' (the admin's retry); false when it is not failed. */
  async requeue(webhookId: string): Promise<boolean> {
    const n = await this.table().where({ webhook_id: webhookId, status: 'failed' }).whereNotNull('payload').update({ status: 'received', updated_at: Date.now() });
    return Number(n) === 1;
  }

  /** Recorded, not processed and not held by a worker: what the reconciler enqueues again. */
  async unprocessed(olderThan: number, limit: number): Promise<string[]> {
    const now = Date.now();
    const rows = await this.table()
      .where({ status: 'received' })
      .andWhere('updated_at', '<=', olderThan)
      .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now))
      .orderBy('received_at')
      .limit(limit)
      .select('webhook_id');
    return rows.map((r: { webhook_id: string }) => r.webhook_id);
  }

  /**
   * Deletes up to `limit` processed and ignored deliveries last changed before `before`.
   * Failed and waiting ones stay (the admin page shows their error; Retry needs the row).
   * Shopify retries a delivery for 48 hours at most: an older row no longer dedupes anything.
   */
  async prune(before: number, limit: number): Promise<number> {
    const ids = (await this.table().whereIn('status', ['processed', 'ignored']).andWhere('updated_at', '<', before).limit(limit).select('webhook_id')).map((r: { webhook_id: string }) => r.webhook_id);
    if (ids.length === 0) return 0;
    return Number(await this.table().whereIn('webhook_id', ids).del());
  }

  async list(filter: { shop?: string; status?: WebhookStatus; limit: number }): Promise<WebhookView[]> {
    const q = this.table().orderBy('received_at', 'desc').limit(filter.limit);
    if (filter.shop) q.where({ shop: filter.shop });
    if (filter.status) q.where({ status: filter.status });
    return (await q.select('webhook_id', 'shop', 'topic', 'status', 'attempts', 'error', 'result', 'received_at', 'processed_at', 'updated_at')).map(toView);
  }

  /** counts per status for one shop (or all) */
  async counts(shop?: string): Promise<Record<WebhookStatus, number>> {
    const q = this.table().select('status').count({ n: '*' }).groupBy('status');
    if (shop) q.where({ shop });
    const out: Record<WebhookStatus, number> = { received: 0, processed: 0, failed: 0, ignored: 0 };
    for (const r of (await q) as Array<{ status: WebhookStatus; n: number | string }>) out[r.status] = Number(r.n);
    return out;
  }

  /**
   * customers/redact: deliveries not yet processed whose payload names the customer (by id,
   * email or phone) lose their payload and are not run (they would bring the customer back).
   * A delivery a worker holds right now (the redact itself) is left to finish.
   */
  async redactPayloads(shop: string, needles: string[]): Promise<number> {
    const terms = needles.filter((n) => n.length >= 3).map((n) => `%${n.toLowerCase()}%`);
    if (!terms.length) return 0;
    const now = Date.now();
    const n = await this.table()
      .where({ shop })
      .whereNotNull('payload')
      .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now))
      .andWhere((q) => {
        for (const term of terms) q.orWhereRaw('lower(payload) like ?', [term]);
      })
      .update({ payload: null, status: 'ignored', error: 'redacted (customers/redact) before it was processed', lease_until: null, updated_at: now });
    return Number(n);
  }
}
