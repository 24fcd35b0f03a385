/**
 * bench:segments — segment rules compiled by the CRM (plugins/crm/server/src/engage/segment-rules.ts)
 * on PostgreSQL:
 *  1. customer-list filtering at 100K customers: rules + newest-seen first, 50 a page; p95
 *     target < 200 ms;
 *  2. a segment count over 1M customers (tier, score, a product view within 30 days as EXISTS
 *     on moat_touchpoints); target < 2 s.
 * Baseline for each: the same queries in the same run on the same rows without the indexes the
 * CRM creates at bootstrap (SEGMENT_INDEXES). ratio = baseline / value (≥ 1: the indexes help).
 * Rows come from generate_series. BENCH_QUICK=1: 20K / 200K customers.
 */
import { runPluginMigrations } from '@moat/plugin-kit';
import knexFactory, { type Knex } from 'knex';
import { migrations as trackingMigrations } from '../plugins/tracking/server/src/migrations';
import { applyRules, parseRules, SEGMENT_INDEXES, type SegmentTables, segmentIndexStatements } from '../plugins/crm/server/src/engage/segment-rules';
import { createTestDatabase } from '../tests/helpers/database';
import { percentile, runBench } from './lib/harness';


const TABLES: SegmentTables = {
  customers: 'crm_customers',
  inquiries: 'crm_inquiries',
  touchpoints: 'moat_touchpoints',
  inquiryLink: { table: 'crm_inquiries_customer_lnk', inquiry: 'inquiry_id', customer: 'customer_id' },
  client: 'postgres',
};
const NOW = Date.now();
const DAY = 86_400_000;

/** the columns the segment rules read, as Strapi creates them for the customer content type */
async function createTables(knex: Knex) {
  await knex.raw(`CREATE TABLE crm_customers (
    id serial PRIMARY KEY, document_id varchar(255), email varchar(255), name varchar(255), tier varchar(255), stage varchar(255),
    country varchar(255), language varchar(255), tags jsonb, score integer, grade varchar(255), email_consent varchar(255),
    orders_count integer, total_spent numeric(10,2), last_seen_at timestamp(6), merged_into varchar(255))`);
  await knex.raw('CREATE TABLE crm_inquiries (id serial PRIMARY KEY, document_id varchar(255), status varchar(255))');
  await knex.raw('CREATE TABLE crm_inquiries_customer_lnk (id serial PRIMARY KEY, inquiry_id integer, customer_id integer)');
  // the touchpoint store as the tracking plugin creates it (its own recorded migrations)
  await runPluginMigrations({ db: { connection: knex } }, 'tracking', trackingMigrations);
}

/** customers `from`..`to` (ids), with touchpoints for every 5th and an inquiry for every 20th */
async function fill(knex: Knex, from: number, to: number) {
  await knex.raw(
    `INSERT INTO crm_customers (id, document_id, email, tier, stage, country, language, tags, score, email_consent, orders_count, total_spent, last_seen_at, merged_into)
     SELECT g, 'c' || g, 'b' || g || '@x.example',
       (ARRAY['big_b','small_b','consumer','consumer'])[1 + g % 4],
       (ARRAY['subscriber','lead','inquiry','negotiating','customer','loyal','advocate'])[1 + g % 7],
       (ARRAY['DE','FR','US','CN','GB','IT','ES','BR','JP','IN','MX','NL','PL','TR','SA','AE'])[1 + (g * 7) % 16],
       (ARRAY['de','fr','en','zh-Hans','ja','es'])[1 + g % 6],
       CASE WHEN g % 10 = 0 THEN '["vip","wholesale"]'::jsonb WHEN g % 3 = 0 THEN '["wholesale"]'::jsonb ELSE '[]'::jsonb END,
       (g * 37) % 101, (ARRAY['unknown','subscribed','unsubscribed'])[1 + g % 3], g % 5, (g % 1000) * 10,
       to_timestamp((? - ((g::bigint * 7919) % 365) * ${DAY}::bigint - g * 1000::bigint) / 1000.0), NULL
     FROM generate_series(?::int, ?::int) g`,
    [NOW, from, to],
  );
  await knex.raw(
    `INSERT INTO moat_touchpoints (occurred_at, received_at, type, channel, customer_id)
     SELECT ? - ((g * 131) % 90) * ${DAY}::bigint, ?, (ARRAY['page_view','product_view','email_opened'])[1 + g % 3], 'web', 'c' || g
     FROM generate_series(?::int, ?::int) g WHERE g % 5 = 0`,
    [NOW, NOW, from, to],
  );
  await knex.raw(
    `INSERT INTO crm_inquiries (id, document_id, status) SELECT g, 'i' || g, (ARRAY['new','contacted','quoted','won','lost'])[1 + g % 5] FROM generate_series(?::int, ?::int) g WHERE g % 20 = 0`,
    [from, to],
  );
  await knex.raw('INSERT INTO crm_inquiries_customer_lnk (inquiry_id, customer_id) SELECT g, g FROM generate_series(?::int, ?::int) g WHERE g % 20 = 0', [from, to]);
  await knex.raw("SELECT setval('crm_customers_id_seq', (SELECT max(id) FROM crm_customers))");
  // a table in steady state: autovacuum has set the visibility map (index-only scans rely on it)
  await knex.raw('VACUUM ANALYZE');
}

const LIST_RULES = [
  { op: 'and', rules: [{ field: 'country', in: ['DE'] }, { field: 'stage', in: ['lead', 'inquiry'] }] },
  { op: 'and', rules: [{ field: 'tier', in: ['big_b'] }, { field: 'score', min: 80 }] },
  { op: 'and', rules: [{ field: 'stage', in: ['customer'] }, { field: 'lastSeen', withinDays: 30 }] },
  { op: 'or', rules: [{ field: 'country', in: ['JP'] }, { field: 'country', in: ['BR'] }] },
  { op: 'and', rules: [{ field: 'country', in: ['US'] }, { field: 'tags', values: ['vip'] }] },
].map((r) => parseRules(r));

const COUNT_RULES = parseRules({
  op: 'and',
  rules: [
    { field: 'tier', in: ['big_b'] },
    { field: 'score', min: 70 },
    { field: 'touchpoint', type: 'product_view', withinDays: 30 },
  ],
});

/** the customer list: a page of 50, newest seen first */
const listPage = (knex: Knex, rules: (typeof LIST_RULES)[number]) => {
  const qb = knex('crm_customers as c').select('c.id', 'c.document_id', 'c.email', 'c.tier', 'c.stage', 'c.score', 'c.last_seen_at').orderBy('c.last_seen_at', 'desc').limit(50);
  return applyRules(knex, qb, rules, { alias: 'c', tables: TABLES, now: NOW });
};
const count = async (knex: Knex) => {
  const qb = knex('crm_customers as c').count({ n: '*' });
  applyRules(knex, qb, COUNT_RULES, { alias: 'c', tables: TABLES, now: NOW });
  const [row] = await qb;
  return Number((row as { n: string }).n);
};

/** BENCH_EXPLAIN=1: the count's plan, to see which index it takes */
async function explainCount(knex: Knex) {
  const qb = knex('crm_customers as c').count({ n: '*' });
  applyRules(knex, qb, COUNT_RULES, { alias: 'c', tables: TABLES, now: NOW });
  const { sql, bindings } = qb.toSQL();
  const result = await knex.raw(`EXPLAIN ANALYZE ${sql}`, bindings as Knex.RawBinding[]);
  return (result.rows as Array<Record<string, string>>).map((r) => r['QUERY PLAN']).join('\n');
}

async function timeList(knex: Knex, rounds: number) {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await listPage(knex, LIST_RULES[i % LIST_RULES.length]);
    samples.push(performance.now() - started);
  }
  return { p50: percentile(samples, 50), p95: percentile(samples, 95) };
}
async function timeCount(knex: Knex, rounds: number) {
  const samples: number[] = [];
  let n = 0;
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    n = await count(knex);
    samples.push(performance.now() - started);
  }
  return { median: percentile(samples, 50), n };
}
const createIndexes = async (knex: Knex) => {
  for (const statement of segmentIndexStatements('postgres', 'crm_customers')) await knex.raw(statement);
  await knex.raw('ANALYZE crm_customers');
};
const dropIndexes = async (knex: Knex) => {
  for (const [name] of SEGMENT_INDEXES) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
  await knex.raw('ANALYZE crm_customers');
};

runBench('segments', async (ctx) => {
  process.env.DATABASE_CLIENT = 'postgres';
  const listSize = ctx.quick ? 20_000 : 100_000;
  const countSize = ctx.quick ? 200_000 : 1_000_000;
  const rounds = ctx.quick ? 60 : 200;
  const db = await createTestDatabase();
  const knex = knexFactory({
    client: 'pg',
    connection: { host: db.env.DATABASE_HOST, port: Number(db.env.DATABASE_PORT), user: db.env.DATABASE_USERNAME, password: db.env.DATABASE_PASSWORD, database: db.env.DATABASE_NAME },
    pool: { min: 1, max: 2 },
  });
  try {
    await createTables(knex);
    let started = Date.now();
    await fill(knex, 1, listSize);
    ctx.log(`${listSize} customers in ${Date.now() - started} ms`);
    // the same pages with and without the indexes return the same rows (last_seen_at is unique here: no ties)
    const plain: Array<Array<{ id: number }>> = await Promise.all(LIST_RULES.map((r) => listPage(knex, r)));
    const listBaseline = await timeList(knex, rounds);
    await createIndexes(knex);
    const indexed: Array<Array<{ id: number }>> = await Promise.all(LIST_RULES.map((r) => listPage(knex, r)));
    ctx.check(JSON.stringify(plain.map((p) => p.map((r) => r.id).sort())) === JSON.stringify(indexed.map((p) => p.map((r) => r.id).sort())), 'list pages differ with and without indexes');
    const list = await timeList(knex, rounds);
    ctx.log(`list at ${listSize}: p95 ${list.p95.toFixed(1)} ms (without indexes ${listBaseline.p95.toFixed(1)} ms)`);

    await dropIndexes(knex);
    started = Date.now();
    await fill(knex, listSize + 1, countSize);
    ctx.log(`${countSize} customers in ${Date.now() - started} ms`);
    const countRounds = ctx.quick ? 3 : 5;
    const countBaseline = await timeCount(knex, countRounds);
    if (process.env.BENCH_EXPLAIN) ctx.log(await explainCount(knex));
    await createIndexes(knex);
    const counted = await timeCount(knex, countRounds);
    if (process.env.BENCH_EXPLAIN) ctx.log(await explainCount(knex));
    ctx.log(`count at ${countSize}: ${counted.median.toFixed(1)} ms → ${counted.n} (without indexes ${countBaseline.median.toFixed(1)} ms)`);
    ctx.check(counted.n === countBaseline.n && counted.n > 0, `count ${counted.n} with indexes, ${countBaseline.n} without`);
    ctx.check(counted.median < 2000, `segment count over ${countSize} took ${counted.median.toFixed(0)} ms (target < 2000)`);
    ctx.check(list.p95 < 200, `customer list p95 ${list.p95.toFixed(0)} ms at ${listSize} (target < 200)`);
    const listRatio = listBaseline.p95 / list.p95;
    const countRatio = countBaseline.median / counted.median;
    ctx.check(listRatio >= 1, `list ratio ${listRatio.toFixed(2)} < 1`);
    ctx.check(countRatio >= 1, `count ratio ${countRatio.toFixed(2)} < 1`);
    return {
      value: counted.median,
      baseline: countBaseline.median,
      ratio: countRatio,
      unit: 'ms (segment count)',
      extra: {
        countCustomers: countSize,
        countMembers: counted.n,
        listCustomers: listSize,
        listP95Ms: Math.round(list.p95 * 10) / 10,
        listP50Ms: Math.round(list.p50 * 10) / 10,
        listBaselineP95Ms: Math.round(listBaseline.p95 * 10) / 10,
        listRatio: Math.round(listRatio * 100) / 100,
      },
    };
  } finally {
    await knex.destroy();
    await db.drop();
  }
});
