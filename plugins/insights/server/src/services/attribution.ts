import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TOUCHPOINTS } from '../utils/constants';
import { dayStart } from '../utils/days';
import { getService } from '../utils/get-service';
import { jsonText, orderValueSql } from '../utils/sql';

/** Conversions read per request: attribution is a raw query, bounded so it cannot eat memory. */
export const MAX_CONVERSIONS = 50_000;
const CHUNK = 500;

interface Conversion { key: string; at: number; id: number; kind: 'leads' | 'inquiries' | 'revenue'; value: number }
interface Touch { key: string; at: number; id: number; source: string; medium: string; campaign: string }
export interface Share { source: string; medium: string; campaign: string; count: number; value: number; share: number }
type Model = Record<Conversion['kind'], Share[]>;

const NONE = { source: '(none)', medium: '', campaign: '' };

/**
 * First-touch and last-touch attribution of leads (first identify), inquiries and revenue
 * (deals) in a range: each conversion goes to the earliest / the latest touchpoint with a
 * source of the same customer (or visitor, when no customer is known) at or before it.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;

  async function conversions(from: number, to: number): Promise<Conversion[]> {
    const { client } = getService(strapi, 'settings').get();
    const rows = await knex()
      .from(`${TOUCHPOINTS} as t`)
      .select('t.id', 't.occurred_at', 't.type', 't.customer_id', 't.visitor_id', knex().raw(`${orderValueSql(client)} AS value`), knex().raw(`${jsonText(client, ['entity'])} AS entity`), knex().raw(`${jsonText(client, ['to'])} AS to_stage`))
      .where('t.occurred_at', '>=', from)
      .andWhere('t.occurred_at', '<', to)
      .whereIn('t.type', ['identify', 'inquiry_created', 'order_placed', 'stage_changed'])
      .orderBy('t.id')
      .limit(MAX_CONVERSIONS * 2);
    const out: Conversion[] = [];
    const identified = new Set<string>();
    for (const r of rows) {
      const key = r.customer_id ?? (r.visitor_id ? `v:${r.visitor_id}` : null);
      if (!key) continue;
      const base = { key, at: Number(r.occurred_at), id: Number(r.id), value: 0 };
      if (r.type === 'inquiry_created') out.push({ ...base, kind: 'inquiries' });
      else if (r.type === 'order_placed' || (r.type === 'stage_changed' && r.entity === 'inquiry' && r.to_stage === 'won')) out.push({ ...base, kind: 'revenue', value: Number(r.value) });
      else if (r.type === 'identify' && r.customer_id) identified.add(r.customer_id);
    }
    // leads: a customer's first identify ever, when it falls in the range
    const ids = [...identified];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const firsts = await knex()(TOUCHPOINTS).select('customer_id').min('occurred_at as at').where('type', 'identify').whereIn('customer_id', ids.slice(i, i + CHUNK)).groupBy('customer_id');
      for (const f of firsts) if (Number(f.at) >= from && Number(f.at) < to) out.push({ key: f.customer_id, at: Number(f.at), id: 0, kind: 'leads', value: 0 });
    }
    return out.slice(0, MAX_CONVERSIONS);
  }

  async function touches(keys: string[], until: number): Promise<Map<string, Touch[]>> {
    const { client } = getService(strapi, 'settings').get();
    const byKey = new Map<string, Touch[]>();
    const customers = keys.filter((k) => !k.startsWith('v:'));
    const visitors = keys.filter((k) => k.startsWith('v:')).map((k) => k.slice(2));
    const campaign = knex().raw(`${jsonText(client, ['utm_campaign'])} AS campaign`);
    for (const [column, list] of [['customer_id', customers], ['visitor_id', visitors]] as const) {
      for (let i = 0; i < list.length; i += CHUNK) {
        const rows = await knex()(TOUCHPOINTS).select('id', 'occurred_at', 'customer_id', 'visitor_id', 'source', 'source_channel', campaign).whereIn(column, list.slice(i, i + CHUNK)).whereNotNull('source').andWhere('occurred_at', '<', until);
        for (const r of rows) {
          const key = column === 'customer_id' ? r.customer_id : `v:${r.visitor_id}`;
          const touch = { key, at: Number(r.occurred_at), id: Number(r.id), source: r.source, medium: r.source_channel ?? '', campaign: r.campaign ?? '' };
          byKey.set(key, [...(byKey.get(key) ?? []), touch]);
        }
      }
    }
    return byKey;
  }

  function tally(items: { touch: Pick<Touch, 'source' | 'medium' | 'campaign'>; value: number }[]): Share[] {
    const groups = new Map<string, Share>();
    for (const { touch, value } of items) {
      const k = JSON.stringify([touch.source, touch.medium, touch.campaign]);
      const g = groups.get(k) ?? { source: touch.source, medium: touch.medium, campaign: touch.campaign, count: 0, value: 0, share: 0 };
      g.count++;
      g.value += value;
      groups.set(k, g);
    }
    const totalCount = items.length;
    const totalValue = items.reduce((s, i) => s + i.value, 0);
    const list = [...groups.values()];
    // revenue shares by value; leads and inquiries by count
    for (const g of list) g.share = totalValue > 0 ? g.value / totalValue : totalCount > 0 ? g.count / totalCount : 0;
    return list.sort((a, b) => b.share - a.share || b.count - a.count || a.source.localeCompare(b.source));
  }

  return {
    async get(fromDay: number, toDay: number): Promise<{ firstTouch: Model; lastTouch: Model }> {
      const { offset } = getService(strapi, 'settings').get();
      const from = dayStart(fromDay, offset);
      const to = dayStart(toDay + 1, offset);
      const convs = await conversions(from, to);
      const byKey = await touches([...new Set(convs.map((c) => c.key))], to);
      const first: Model = { leads: [], inquiries: [], revenue: [] };
      const last: Model = { leads: [], inquiries: [], revenue: [] };
      const items = { first: { leads: [], inquiries: [], revenue: [] }, last: { leads: [], inquiries: [], revenue: [] } } as Record<'first' | 'last', Record<Conversion['kind'], { touch: Pick<Touch, 'source' | 'medium' | 'campaign'>; value: number }[]>>;
      for (const c of convs) {
        const before = (byKey.get(c.key) ?? []).filter((t) => t.at < c.at || (t.at === c.at && (c.id === 0 || t.id <= c.id)));
        before.sort((a, b) => a.at - b.at || a.id - b.id);
        const value = c.kind === 'revenue' ? c.value : 0;
        items.first[c.kind].push({ touch: before[0] ?? NONE, value });
        items.last[c.kind].push({ touch: before[before.length - 1] ?? NONE, value });
      }
      for (const kind of ['leads', 'inquiries', 'revenue'] as const) {
        first[kind] = tally(items.first[kind]);
        last[kind] = tally(items.last[kind]);
      }
      return { firstTouch: first, lastTouch: last };
    },
  };
};
