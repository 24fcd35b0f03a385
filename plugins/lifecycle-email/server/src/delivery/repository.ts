import type { Knex } from 'knex';
import { MESSAGES_TABLE, SUPPRESSIONS_TABLE } from '../migrations';
import type { EnqueueInput, Lane, MessageRow, MessageStatus } from './types';

const num = (v: unknown): number => (v == null ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));

export function parseData(v: unknown): Record<string, unknown> {
  if (v == null) return {};
  if (typeof v === 'object') return v as Record<string, unknown>;
  try {
    return JSON.parse(String(v)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function toMessage(r: Record<string, any>): MessageRow {
  return {
    id: num(r.id),
    idempotencyKey: r.idempotency_key,
    status: r.status,
    reason: r.reason ?? null,
    lane: r.lane,
    kind: r.kind,
    customerId: r.customer_id ?? null,
    recipient: r.recipient,
    templateKey: r.template_key,
    locale: r.locale ?? null,
    data: parseData(r.data),
    campaignId: r.campaign_id ?? null,
    flowId: r.flow_id ?? null,
    attempts: num(r.attempts),
    providerMessageId: r.provider_message_id ?? null,
    jobId: r.job_id ?? null,
    sendAt: num(r.send_at),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    sentAt: numOrNull(r.sent_at),
  };
}

// SQLite turns a multi-row insert with ON CONFLICT into a compound SELECT (at most 500 terms)
const INSERT_CHUNK = 400;
// PostgreSQL: the rows as one JSON parameter (json_to_recordset): no statement of 100,000s of placeholders
const PG_INSERT_CHUNK = 10_000;
/** the message log's columns an insert writes, with their PostgreSQL array types */
const INSERT_COLUMNS = [
  ['idempotency_key', 'text'],
  ['status', 'text'],
  ['reason', 'text'],
  ['lane', 'text'],
  ['kind', 'text'],
  ['customer_id', 'text'],
  ['recipient', 'text'],
  ['template_key', 'text'],
  ['locale', 'text'],
  ['data', 'text'],
  ['campaign_id', 'text'],
  ['flow_id', 'text'],
  ['job_id', 'text'],
  ['send_at', 'bigint'],
  ['created_at', 'bigint'],
  ['updated_at', 'bigint'],
] as const;
const COLUMN_LIST = INSERT_COLUMNS.map(([c]) => c).join(', ');
const ID_CHUNK = 500;

const chunks = <T>(items: T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** Statuses a worker may take a row from (plus "sending" whose lease ran out: its worker died). */
const CLAIMABLE: MessageStatus[] = ['pending', 'queued'];

/**
 * Data access for the message log and the suppression list. Every status change is a
 * conditional UPDATE, so two workers (or a job re-enqueued after a Redis flush) never both
 * send one row.
 */
export function createMessageRepository(knex: () => Knex) {
  const table = () => knex()(MESSAGES_TABLE);
  return {
    /**
     * Inserts new intents; rows whose idempotency key exists are left alone. Returns the new ids by key.
     * `skipReason`: the row is logged as "skipped" with this reason (a campaign's capped or unconsented recipients);
     * `jobId`: the job that will carry the row, written with it (no UPDATE per job afterwards).
     */
    async insertMany(inputs: EnqueueInput[], now: number, options: { skipReason?: (m: EnqueueInput) => string | null; jobId?: (m: EnqueueInput) => string | null } = {}): Promise<Map<string, number>> {
      const { skipReason, jobId } = options;
      const created = new Map<string, number>();
      const pg = /^(pg|postgres)/.test(String(knex().client.config.client));
      for (const part of chunks(inputs, pg ? PG_INSERT_CHUNK : INSERT_CHUNK)) {
        const rows = part.map((m) => ({
          idempotency_key: m.idempotencyKey,
          status: skipReason?.(m) ? 'skipped' : 'pending',
          reason: skipReason?.(m)?.slice(0, 500) ?? null,
          lane: m.lane,
          kind: m.kind,
          customer_id: m.customerId ?? null,
          recipient: m.to.trim().toLowerCase(),
          template_key: m.templateKey,
          locale: m.locale ?? null,
          data: JSON.stringify(m.data ?? {}),
          campaign_id: m.campaignId ?? null,
          flow_id: m.flowId ?? null,
          job_id: jobId?.(m) ?? null,
          send_at: m.sendAt == null ? now : m.sendAt instanceof Date ? m.sendAt.getTime() : m.sendAt,
          created_at: now,
          updated_at: now,
        }));
        const inserted = (
          pg
            ? (
                await knex().raw(
                  `insert into ${MESSAGES_TABLE} (${COLUMN_LIST}) select ${COLUMN_LIST} from json_to_recordset(?::json) as x(${INSERT_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')}) on conflict (idempotency_key) do nothing returning id, idempotency_key`,
                  [JSON.stringify(rows)],
                )
              ).rows
            : await table().insert(rows).onConflict('idempotency_key').ignore().returning(['id', 'idempotency_key'])
        ) as Array<{ id: unknown; idempotency_key: string }>;
        for (const r of inserted) created.set(r.idempotency_key, num(r.id));
      }
      return created;
    },

    async idsByKeys(keys: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      for (const part of chunks(keys, ID_CHUNK)) {
        for (const r of await table().select('id', 'idempotency_key').whereIn('idempotency_key', part)) out.set(r.idempotency_key, num(r.id));
      }
      return out;
    },

    /** pending → queued once their jobs exist (only rows nobody took yet); their job is the default one. */
    async markQueued(ids: number[], now: number): Promise<void> {
      const pg = /^(pg|postgres)/.test(String(knex().client.config.client));
      for (const part of chunks(ids, pg ? 50_000 : 5_000)) {
        // PostgreSQL: one text parameter instead of thousands of placeholders (knex would expand an array)
        const q = pg ? table().whereRaw("id = any(string_to_array(?, ',')::bigint[])", [part.join(',')]) : table().whereIn('id', part);
        await q.where('status', 'pending').update({ status: 'queued', updated_at: now });
      }
    },

    /**
     * Takes due rows for sending: status → sending with this worker's claim and a lease.
     * Returns only the rows this claim won.
     */
    async claim(ids: number[], claim: string, leaseMs: number, now: number): Promise<MessageRow[]> {
      if (ids.length === 0) return [];
      await table()
        .whereIn('id', ids)
        .where('send_at', '<=', now)
        .where((q) => q.whereIn('status', CLAIMABLE).orWhere((s) => s.where('status', 'sending').where('lease_until', '<', now)))
        .update({ status: 'sending', claim, lease_until: now + leaseMs, attempts: knex().raw('attempts + 1'), updated_at: now });
      return (await table().select('*').whereIn('id', ids).where({ claim, status: 'sending' })).map(toMessage);
    },

    /** Due rows for the in-process runner: transactional first, then oldest. */
    async dueIds(limit: number, now: number, lane?: Lane): Promise<number[]> {
      const q = table()
        .select('id')
        .where('send_at', '<=', now)
        .where((w) => w.whereIn('status', CLAIMABLE).orWhere((s) => s.where('status', 'sending').where('lease_until', '<', now)));
      if (lane) q.where('lane', lane);
      const rows = await q.orderByRaw("case when lane = 'transactional' then 0 else 1 end").orderBy('send_at').orderBy('id').limit(limit);
      return rows.map((r: { id: unknown }) => num(r.id));
    },

    /** Ends a claimed row. The claim must still be ours (a reclaimed row is someone else's now). */
    async finish(id: number, claim: string, patch: { status: MessageStatus; reason?: string | null; providerMessageId?: string | null; sendAt?: number; jobId?: string | null }, now: number): Promise<boolean> {
      const update: Record<string, unknown> = { status: patch.status, reason: patch.reason ?? null, claim: null, lease_until: null, updated_at: now };
      if (patch.status === 'sent') {
        update.sent_at = now;
        update.provider_message_id = patch.providerMessageId ?? null;
      }
      if (patch.sendAt != null) update.send_at = patch.sendAt;
      if (patch.jobId !== undefined) update.job_id = patch.jobId;
      return (await table().where({ id, claim }).update(update)) === 1;
    },

    async get(id: number): Promise<MessageRow | null> {
      const r = await table().where({ id }).first();
      return r ? toMessage(r) : null;
    },

    async byKey(idempotencyKey: string): Promise<MessageRow | null> {
      const r = await table().where({ idempotency_key: idempotencyKey }).first();
      return r ? toMessage(r) : null;
    },

    async touch(id: number, column: 'opened_at' | 'clicked_at', now: number): Promise<void> {
      await table().where({ id }).whereNull(column).update({ [column]: now });
    },

    /**
     * Rows a dead worker or a lost job left behind: pending/queued rows older than `olderThan`
     * (with the job id they were queued under) and sending rows whose lease ran out.
     */
    async stale(olderThan: number, now: number, limit: number): Promise<Array<{ id: number; lane: Lane; status: MessageStatus; jobId: string | null }>> {
      const rows = await table()
        .select('id', 'lane', 'status', 'job_id')
        .where('send_at', '<=', now)
        .where((w) => w.where((q) => q.whereIn('status', CLAIMABLE).where('updated_at', '<', olderThan)).orWhere((s) => s.where('status', 'sending').where('lease_until', '<', now)))
        .orderBy('id')
        .limit(limit);
      return rows.map((r: Record<string, unknown>) => ({ id: num(r.id), lane: r.lane as Lane, status: r.status as MessageStatus, jobId: (r.job_id as string) ?? null }));
    },

    /** Re-points rows at a new job, only if they still belong to the old one (two reconcilers race safely). */
    async repoint(ids: number[], fromJobId: string | null, toJobId: string, now: number): Promise<number[]> {
      const won: number[] = [];
      for (const part of chunks(ids, ID_CHUNK)) {
        const q = table().whereIn('id', part);
        if (fromJobId == null) q.whereNull('job_id');
        else q.where('job_id', fromJobId);
        await q.update({ job_id: toJobId, updated_at: now });
        for (const r of await table().select('id').whereIn('id', part).where('job_id', toJobId)) won.push(num(r.id));
      }
      return won;
    },

    /**
     * The message log for the admin: newest first, keyset-paged by id. `q` matches the
     * recipient, the template key or the idempotency key (campaign/flow ids are in it).
     */
    async search(filter: { q?: string; status?: MessageStatus; before?: number; limit: number }): Promise<MessageRow[]> {
      const q = table().select('*').orderBy('id', 'desc').limit(filter.limit);
      if (filter.status) q.where('status', filter.status);
      if (filter.before) q.where('id', '<', filter.before);
      if (filter.q) {
        // LIKE wildcards typed by the user are literal text here
        const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q.where((w) =>
          w
            .whereRaw("lower(recipient) like ? escape '\\'", [like])
            .orWhereRaw("lower(template_key) like ? escape '\\'", [like])
            .orWhereRaw("lower(idempotency_key) like ? escape '\\'", [like]),
        );
      }
      return (await q).map(toMessage);
    },

    /** failed → pending with a fresh attempt budget (an admin's retry); false if it was not failed */
    async resetFailed(id: number, now: number): Promise<boolean> {
      const n = await table().where({ id, status: 'failed' }).update({ status: 'pending', reason: null, attempts: 0, send_at: now, job_id: null, claim: null, lease_until: null, updated_at: now });
      return n === 1;
    },

    async countByStatus(filter: { campaignId?: string } = {}): Promise<Record<string, number>> {
      const q = table().select('status').count({ n: '*' }).groupBy('status');
      if (filter.campaignId) q.where('campaign_id', filter.campaignId);
      const out: Record<string, number> = {};
      for (const r of (await q) as Array<{ status: string; n: unknown }>) out[r.status] = num(r.n);
      return out;
    },

    suppressions: {
      async get(address: string): Promise<{ reason: string; detail: string | null } | null> {
        const r = await knex()(SUPPRESSIONS_TABLE).where({ address: address.toLowerCase() }).first();
        return r ? { reason: r.reason, detail: r.detail ?? null } : null;
      },
      /** The suppressions of many addresses in one query (a batch job checks its rows at once). */
      async many(addresses: string[]): Promise<Map<string, { reason: string; detail: string | null }>> {
        const out = new Map<string, { reason: string; detail: string | null }>();
        for (const part of chunks([...new Set(addresses.map((a) => a.toLowerCase()))], ID_CHUNK)) {
          for (const r of await knex()(SUPPRESSIONS_TABLE).select('address', 'reason', 'detail').whereIn('address', part)) out.set(r.address, { reason: r.reason, detail: r.detail ?? null });
        }
        return out;
      },
      /** A bounce outranks an unsubscribe (it stops transactional mail too). */
      async add(address: string, reason: 'bounced' | 'unsubscribed', detail: string | null, messageId: number | null, now: number): Promise<void> {
        const row = { address: address.toLowerCase(), reason, detail: detail?.slice(0, 500) ?? null, message_id: messageId, created_at: now };
        const q = knex()(SUPPRESSIONS_TABLE).insert(row).onConflict('address');
        if (reason === 'bounced') await q.merge(['reason', 'detail', 'message_id', 'created_at']);
        else await q.ignore();
      },
      async remove(address: string, reason: 'unsubscribed'): Promise<void> {
        await knex()(SUPPRESSIONS_TABLE).where({ address: address.toLowerCase(), reason }).delete();
      },
    },
  };
}

export type MessageRepository = ReturnType<typeof createMessageRepository>;
