/**
 * bench:timeline — a customer's journey, first page (50 newest) through the timeline
 * service's own query, on a touchpoint table of 1,000,000 rows of which 10,000 belong to the
 * customer, on SQLite and PostgreSQL. Baseline (same run, same table): a primary-key lookup.
 * Invariants: p95 of the first page < 10 ms on both databases, filtered pages too (also a
 * filter that matches nothing, formerly a walk through the customer's whole history), filtered
 * pages equal filtering the whole history; pages are newest first and the cursor walks
 * without gaps or repeats.
 */
import { runPluginMigrations } from '@moat/plugin-kit';
import type { Knex } from 'knex';
import { migrations } from '../plugins/tracking/server/src/migrations';
import { timelinePage } from '../plugins/tracking/server/src/services/timeline';
import { toRow } from '../plugins/tracking/server/src/store/rows';
import { createTestDatabase, knexFor } from '../tests/helpers/database';
import { percentile, runBench } from './lib/harness';


const TYPES = ['page_view', 'engagement', 'product_view', 'cart_add', 'form_submit', 'email_opened', 'order_placed'] as const;
const CHANNELS = ['web', 'web', 'web', 'email', 'whatsapp'];

/** 1M rows: 10,000 of the measured customer spread over a year, the rest across 20,000 others. */
async function fill(knex: Knex, total: number, mine: number) {
  const start = Date.now() - 365 * 86_400_000;
  const chunk = 1000;
  let n = 0;
  while (n < total) {
    const rows = [];
    for (let i = 0; i < chunk && n < total; i++, n++) {
      const isMine = n % Math.floor(total / mine) === 0 && n / Math.floor(total / mine) < mine;
      rows.push(
        toRow(
          {
            type: TYPES[n % TYPES.length],
            // varies for the measured customer too (every 100th row), so a channel filter matches some
            channel: CHANNELS[Math.floor(n / 100) % CHANNELS.length],
            occurredAt: start + Math.floor((n / total) * 365 * 86_400_000),
            visitorId: `v${n % 50_000}`,
            customerId: isMine ? 'cust_bench' : `c${n % 20_000}`,
            sessionId: `s${Math.floor(n / 7)}`,
            url: `https://shop.example.com/products/p${n % 500}`,
            path: `/products/p${n % 500}`,
            properties: { n },
            dedupeKey: `b:${n}`,
          },
          Date.now(),
        ),
      );
    }
    await knex.batchInsert('moat_touchpoints', rows, 500);
  }
}

async function measure(knex: Knex, samples: number) {
  const first: number[] = [];
  const pk: number[] = [];
  const filtered: number[] = [];
  const nothing: number[] = [];
  const byChannel: number[] = [];
  const { id: someId } = (await knex('moat_touchpoints').where('customer_id', 'cust_bench').first('id')) as { id: number };
  for (let i = 0; i < 30; i++) await timelinePage(knex, 'cust_bench', { limit: 50 }); // warm caches
  for (let i = 0; i < samples; i++) {
    let t = performance.now();
    await knex('moat_touchpoints').where('id', someId).first();
    pk.push(performance.now() - t);
    t = performance.now();
    await timelinePage(knex, 'cust_bench', { limit: 50 });
    first.push(performance.now() - t);
    t = performance.now();
    await timelinePage(knex, 'cust_bench', { limit: 50, types: ['email_opened', 'order_placed'], channels: ['email'] });
    filtered.push(performance.now() - t); // two types, one channel
    t = performance.now();
    await timelinePage(knex, 'cust_bench', { limit: 50, types: ['refund_issued'] });
    nothing.push(performance.now() - t); // a type the customer never had: the old worst case
    t = performance.now();
    await timelinePage(knex, 'cust_bench', { limit: 50, channels: ['whatsapp'] });
    byChannel.push(performance.now() - t);
  }
  // filtered pages hold exactly what filtering the whole history would give
  const all = (await knex('moat_touchpoints').where('customer_id', 'cust_bench').select('id', 'type', 'channel', 'occurred_at')) as Array<{
    id: number;
    type: string;
    channel: string;
    occurred_at: number | string;
  }>;
  const expected = (keep: (r: (typeof all)[number]) => boolean) =>
    all
      .filter(keep)
      .sort((a, b) => Number(b.occurred_at) - Number(a.occurred_at) || b.id - a.id)
      .slice(0, 50)
      .map((r) => Number(r.id));
  const got = async (q: Parameters<typeof timelinePage>[2]) => (await timelinePage(knex, 'cust_bench', { limit: 50, ...q })).items.map((i) => i.id);
  const filtersExact =
    JSON.stringify(await got({ types: ['email_opened', 'order_placed'], channels: ['email'] })) ===
      JSON.stringify(expected((r) => (r.type === 'email_opened' || r.type === 'order_placed') && r.channel === 'email')) &&
    JSON.stringify(await got({ channels: ['whatsapp'] })) === JSON.stringify(expected((r) => r.channel === 'whatsapp')) &&
    (await got({ types: ['refund_issued'] })).length === 0;
  // walk the whole timeline by cursor: newest first, no gaps, no repeats
  const seen = new Set<number>();
  let cursor: string | null = null;
  let last = Number.POSITIVE_INFINITY;
  let ordered = true;
  const deep: number[] = [];
  do {
    const t = performance.now();
    const page = await timelinePage(knex, 'cust_bench', { limit: 200, cursor });
    deep.push(performance.now() - t);
    for (const item of page.items) {
      const at = Date.parse(item.occurredAt);
      if (at > last) ordered = false;
      last = at;
      seen.add(item.id);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return {
    firstP95: percentile(first, 95),
    firstP50: percentile(first, 50),
    pkP95: percentile(pk, 95),
    filteredP95: percentile(filtered, 95),
    nothingP95: percentile(nothing, 95),
    channelP95: percentile(byChannel, 95),
    filtersExact,
    cursorPageP95: percentile(deep, 95),
    walked: seen.size,
    ordered,
  };
}

runBench('timeline', async (ctx) => {
  const total = ctx.quick ? 200_000 : 1_000_000;
  const mine = ctx.quick ? 2_000 : 10_000;
  const out: Record<string, Awaited<ReturnType<typeof measure>> & { fillSec: number }> = {};
  for (const client of ['sqlite', 'postgres'] as const) {
    const previous = process.env.DATABASE_CLIENT;
    process.env.DATABASE_CLIENT = client;
    const db = await createTestDatabase();
    if (previous === undefined) delete process.env.DATABASE_CLIENT;
    else process.env.DATABASE_CLIENT = previous;
    const knex = knexFor(db);
    try {
      // the tracking plugin's own schema, as its register runs it
      await runPluginMigrations({ db: { connection: knex } }, 'tracking', migrations);
      const t = Date.now();
      await fill(knex, total, mine);
      if (client === 'postgres') await knex.raw('ANALYZE moat_touchpoints');
      const fillSec = (Date.now() - t) / 1000;
      const m = await measure(knex, ctx.quick ? 200 : 1000);
      out[client] = { ...m, fillSec };
      ctx.log(
        `${client}: ${total} rows (${mine} for the customer) filled in ${fillSec.toFixed(1)} s | first page p50 ${m.firstP50.toFixed(2)} ms p95 ${m.firstP95.toFixed(2)} ms | filtered p95: 2 types + channel ${m.filteredP95.toFixed(2)} ms, channel ${m.channelP95.toFixed(2)} ms, type never seen ${m.nothingP95.toFixed(2)} ms | cursor page (200) p95 ${m.cursorPageP95.toFixed(2)} ms | pk lookup p95 ${m.pkP95.toFixed(2)} ms`,
      );
      ctx.check(m.firstP95 < 10, `${client}: first page p95 ${m.firstP95.toFixed(2)} ms is not under 10 ms`);
      ctx.check(Math.max(m.filteredP95, m.channelP95, m.nothingP95) < 10, `${client}: a filtered page's p95 is not under 10 ms`);
      ctx.check(m.filtersExact, `${client}: a filtered page differs from filtering the whole history`);
      ctx.check(m.walked === mine && m.ordered, `${client}: cursor walk saw ${m.walked} of ${mine} touchpoints (ordered: ${m.ordered})`);
    } finally {
      await knex.destroy();
      await db.drop();
    }
  }
  return {
    value: out.sqlite.firstP95,
    baseline: out.sqlite.pkP95,
    unit: 'ms p95 (SQLite first page vs primary-key lookup; lower is better)',
    extra: { rows: total, customerRows: mine, ...out },
  };
});
