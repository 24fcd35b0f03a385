import type { Knex } from 'knex';
import { TABLES } from '../utils/constants';

export const RESOURCES = ['customers', 'products', 'orders'] as const;
export type Resource = (typeof RESOURCES)[number];
export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobRow {
  shop: string;
  resource: Resource;
  status: JobStatus;
  cursor: string | null;
  done: number | string;
  total: number | string | null;
  lease_owner: string | null;
  lease_expires: number | string | null;
  error: string | null;
  started_at: number | string | null;
  finished_at: number | string | null;
  updated_at: number | string;
}

export interface JobProgress {
  shop: string;
  resource: Resource;
  status: JobStatus;
  done: number;
  total: number | null;
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
  /** a runner holds the lease right now */
  leased: boolean;
}

const num = (v: number | string | null) => (v == null ? null : Number(v));

export const toProgress = (row: JobRow, now = Date.now()): JobProgress => ({
  shop: row.shop,
  resource: row.resource,
  status: row.status,
  done: Number(row.done),
  total: num(row.total),
  error: row.error,
  startedAt: num(row.started_at),
  finishedAt: num(row.finished_at),
  updatedAt: Number(row.updated_at),
  leased: !!row.lease_owner && Number(row.lease_expires) > now,
});

/**
 * The progress table's reads and writes. Every write by a runner is conditional on holding
 * the lease (lease_owner = me), so a runner that lost it (it stalled past the expiry and
 * another took over) changes nothing.
 */
export class JobStore {
  constructor(private readonly knex: () => Knex) {}

  private table() {
    return this.knex()(TABLES.backfill);
  }

  list(shop?: string): Promise<JobRow[]> {
    const q = this.table().orderBy(['shop', 'resource']);
    return shop ? q.where({ shop }) : q;
  }

  get(shop: string, resource: Resource): Promise<JobRow | undefined> {
    return this.table().where({ shop, resource }).first();
  }

  /**
   * (Re)queues every resource of a shop: a new or finished job starts over from the first page
   * (a fresh pass; stores are idempotent), a failed or interrupted one resumes from its cursor.
   */
  async enqueue(shop: string): Promise<void> {
    const now = Date.now();
    for (const resource of RESOURCES) {
      const row = await this.get(shop, resource);
      if (!row) {
        await this.table()
          .insert({ shop, resource, status: 'pending', cursor: null, done: 0, total: null, updated_at: now })
          .onConflict(['shop', 'resource'])
          .ignore();
      } else if (row.status === 'done') {
        await this.table().where({ shop, resource, status: 'done' }).update({ status: 'pending', cursor: null, done: 0, total: null, error: null, finished_at: null, updated_at: now });
      } else if (row.status === 'failed') {
        await this.table().where({ shop, resource, status: 'failed' }).update({ status: 'pending', error: null, updated_at: now });
      }
    }
  }

  /** Takes the lease when it is free or expired; the row as taken, or null. */
  async acquire(shop: string, resource: Resource, owner: string, leaseMs: number): Promise<JobRow | null> {
    const now = Date.now();
    const taken = await this.table()
      .where({ shop, resource })
      .whereIn('status', ['pending', 'running'])
      .andWhere((q) => q.whereNull('lease_owner').orWhere('lease_expires', '<', now).orWhere('lease_owner', owner))
      .update({ status: 'running', lease_owner: owner, lease_expires: now + leaseMs, error: null, updated_at: now });
    if (Number(taken) !== 1) return null;
    await this.table().where({ shop, resource, lease_owner: owner }).whereNull('started_at').update({ started_at: now });
    return (await this.get(shop, resource)) ?? null;
  }

  /** Extends the lease; false when another runner has taken it. */
  async renew(shop: string, resource: Resource, owner: string, leaseMs: number, extra: Partial<JobRow> = {}): Promise<boolean> {
    const now = Date.now();
    const n = await this.table()
      .where({ shop, resource, lease_owner: owner })
      .update({ ...extra, lease_expires: now + leaseMs, updated_at: now });
    return Number(n) === 1;
  }

  /** A page is stored: its cursor and count are committed together. */
  commitPage(shop: string, resource: Resource, owner: string, leaseMs: number, cursor: string | null, done: number): Promise<boolean> {
    return this.renew(shop, resource, owner, leaseMs, { cursor, done } as Partial<JobRow>);
  }

  async finish(shop: string, resource: Resource, owner: string, status: 'done' | 'failed' | 'pending', error: string | null = null): Promise<void> {
    const now = Date.now();
    await this.table()
      .where({ shop, resource, lease_owner: owner })
      .update({ status, error: error?.slice(0, 2000) ?? null, lease_owner: null, lease_expires: null, finished_at: status === 'pending' ? null : now, updated_at: now });
  }
}
