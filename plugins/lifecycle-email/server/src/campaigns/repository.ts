import type { Knex } from 'knex';
import { MESSAGES_TABLE } from '../migrations';
import { CAMPAIGNS_TABLE } from '../migrations/campaigns';
import type { CampaignDefinition, CampaignStatus } from './definition';

export interface Campaign extends CampaignDefinition {
  id: string;
  status: CampaignStatus;
  cursor: number | null;
  recipients: number;
  enqueued: number;
  skipped: number;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  writtenAt: number | null;
  finishedAt: number | null;
}

const num = (v: unknown): number => (v == null ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));

function toCampaign(r: Record<string, any>): Campaign {
  const mode = r.schedule_mode as Campaign['schedule']['mode'];
  return {
    id: r.id,
    name: r.name,
    segmentId: r.segment_id,
    templateKey: r.template_key,
    status: r.status,
    schedule: mode === 'at' ? { mode, sendAt: num(r.send_at) } : mode === 'local' ? { mode, localTime: r.local_time } : { mode: 'now' },
    window: r.window_start ? { start: r.window_start, end: r.window_end, days: String(r.window_days ?? '1,2,3,4,5').split(',').map(Number) } : null,
    cursor: numOrNull(r.cursor),
    recipients: num(r.recipients),
    enqueued: num(r.enqueued),
    skipped: num(r.skipped),
    createdAt: num(r.created_at),
    updatedAt: num(r.updated_at),
    startedAt: numOrNull(r.started_at),
    writtenAt: numOrNull(r.written_at),
    finishedAt: numOrNull(r.finished_at),
  };
}

/** Campaign rows, and the campaign-wide updates of their messages in moat_messages. */
export function createCampaignRepository(knex: () => Knex) {
  const table = () => knex()(CAMPAIGNS_TABLE);
  const messages = () => knex()(MESSAGES_TABLE);
  return {
    async insert(id: string, d: CampaignDefinition, now: number): Promise<Campaign> {
      await table().insert({
        id,
        name: d.name,
        segment_id: d.segmentId,
        template_key: d.templateKey,
        status: 'draft',
        schedule_mode: d.schedule.mode,
        send_at: d.schedule.mode === 'at' ? d.schedule.sendAt : null,
        local_time: d.schedule.mode === 'local' ? d.schedule.localTime : null,
        window_start: d.window?.start ?? null,
        window_end: d.window?.end ?? null,
        window_days: d.window ? d.window.days.join(',') : null,
        created_at: now,
        updated_at: now,
      });
      return (await this.get(id)) as Campaign;
    },

    async get(id: string): Promise<Campaign | null> {
      const r = await table().where({ id }).first();
      return r ? toCampaign(r) : null;
    },

    async list(limit: number, offset: number): Promise<{ items: Campaign[]; total: number }> {
      const rows = await table().select('*').orderBy('created_at', 'desc').orderBy('id').limit(limit).offset(offset);
      const [{ n }] = (await table().count({ n: '*' })) as Array<{ n: unknown }>;
      return { items: rows.map(toCampaign), total: num(n) };
    },

    /** campaigns sending whose members are not all written (a restart cut their write loop short) */
    async interrupted(): Promise<string[]> {
      return (await table().select('id').whereIn('status', ['sending', 'scheduled']).whereNull('written_at')).map((r: { id: string }) => r.id);
    },

    /** Moves the campaign from one of `from` to `to`; false when it was in none of them (a race or a wrong state). */
    async transition(id: string, from: CampaignStatus[], to: CampaignStatus, now: number, extra: Record<string, unknown> = {}): Promise<boolean> {
      return (await table().where({ id }).whereIn('status', from).update({ status: to, updated_at: now, ...extra })) === 1;
    },

    /** after a page of recipients was written: where the next page starts, and the counters */
    async advance(id: string, cursor: number, page: { recipients: number; enqueued: number; skipped: number }, now: number): Promise<void> {
      await table()
        .where({ id })
        .update({
          cursor,
          recipients: knex().raw('recipients + ?', [page.recipients]),
          enqueued: knex().raw('enqueued + ?', [page.enqueued]),
          skipped: knex().raw('skipped + ?', [page.skipped]),
          updated_at: now,
        });
    },

    /** Holds the campaign's unsent rows: workers claim only pending/queued rows, so their jobs pass them by. */
    async holdMessages(id: string, now: number): Promise<number> {
      return messages().where({ campaign_id: id }).whereIn('status', ['pending', 'queued']).update({ status: 'paused', job_id: null, updated_at: now });
    },

    /** the held rows, oldest first, a page at a time (resume gives them new jobs) */
    async heldMessages(id: string, afterId: number, limit: number): Promise<Array<{ id: number; sendAt: number }>> {
      const rows = await messages().select('id', 'send_at').where({ campaign_id: id, status: 'paused' }).where('id', '>', afterId).orderBy('id').limit(limit);
      return rows.map((r: Record<string, unknown>) => ({ id: num(r.id), sendAt: num(r.send_at) }));
    },

    /** held rows back to queued under their new job (only rows still held: a cancel in between wins) */
    async release(ids: number[], jobId: string | null, now: number): Promise<void> {
      await messages().whereIn('id', ids).where('status', 'paused').update({ status: 'queued', job_id: jobId, updated_at: now });
    },

    /** Every unsent row of the campaign → skipped "cancelled" (a row a worker holds right now still finishes). */
    async cancelMessages(id: string, now: number): Promise<number> {
      return messages().where({ campaign_id: id }).whereIn('status', ['pending', 'queued', 'paused']).update({ status: 'skipped', reason: 'cancelled: the campaign was cancelled', job_id: null, updated_at: now });
    },

    /** rows not final yet (the campaign is done when none are left) */
    async unfinished(id: string): Promise<number> {
      const [{ n }] = (await messages().where({ campaign_id: id }).whereIn('status', ['pending', 'queued', 'sending', 'paused']).count({ n: '*' })) as Array<{ n: unknown }>;
      return num(n);
    },

    /** Marketing messages per customer since `since` (any campaign or flow, not skipped/failed): the frequency cap's count. */
    async marketingCounts(customerIds: string[], since: number, exceptCampaign: string): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (customerIds.length === 0) return out;
      const rows = await messages()
        .select('customer_id')
        .count({ n: '*' })
        .whereIn('customer_id', customerIds)
        .where('kind', 'marketing')
        .whereIn('status', ['pending', 'queued', 'sending', 'sent', 'paused'])
        .where('send_at', '>=', since)
        .where((q) => q.whereNull('campaign_id').orWhere('campaign_id', '<>', exceptCampaign))
        .groupBy('customer_id');
      for (const r of rows as Array<{ customer_id: string; n: unknown }>) out.set(r.customer_id, num(r.n));
      return out;
    },
  };
}

export type CampaignRepository = ReturnType<typeof createCampaignRepository>;
