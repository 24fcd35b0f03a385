/**
 * bench:identify — the customer look-up every identify runs (services/customers.ts
 * findCustomerId: by external id, then lower(trim(email))) on a PostgreSQL customers table of
 * 1,000,000 rows (BENCH_QUICK=1: 100,000), filled with generate_series. Baseline, same run,
 * same table: the same queries before the unique indexes exist (what every identify did
 * before: a scan). Ratio = baseline p50 / indexed p50 (higher is better). Invariants: the
 * indexed look-up finds the right row for an address typed in another case, p95 < 50 ms, and
 * the ratio ≥ 10.
 */
import knexFactory, { type Knex } from 'knex';
import { migrations, runMigrations } from '../plugins/crm/server/src/migrations';
import { findCustomerId } from '../plugins/crm/server/src/services/customers';
import { createTestDatabase } from '../tests/helpers/database';
import { percentile, runBench } from './lib/harness';

async function sample(knex: Knex, total: number, n: number) {
  const times: number[] = [];
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    const k = 1 + Math.floor(Math.random() * total);
    const started = performance.now();
    // a miss on the external id first (the storefront knows no id), then the email in another case
    const id = await findCustomerId(knex, ` Buyer${k}@Example.COM `, `missing-${k}`);
    times.push(performance.now() - started);
    if (id !== `doc${k}`) wrong++;
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), wrong };
}

runBench('identify', async (ctx) => {
  const total = ctx.quick ? 100_000 : 1_000_000;
  const previous = process.env.DATABASE_CLIENT;
  process.env.DATABASE_CLIENT = 'postgres';
  const db = await createTestDatabase();
  if (previous === undefined) delete process.env.DATABASE_CLIENT;
  else process.env.DATABASE_CLIENT = previous;
  const knex = knexFactory({
    client: 'pg',
    connection: { host: db.env.DATABASE_HOST, port: Number(db.env.DATABASE_PORT), user: db.env.DATABASE_USERNAME, password: db.env.DATABASE_PASSWORD, database: db.env.DATABASE_NAME },
    pool: { min: 1, max: 2 },
  });
  try {
    // the columns identify reads, as Strapi creates them for plugin::crm.customer
    await knex.schema.createTable('crm_customers', (t) => {
      t.increments('id');
      t.string('document_id');
      t.string('email');
      t.string('external_id');
      t.string('name');
      t.string('merged_into');
    });
    const filled = Date.now();
    await knex.raw(
      `INSERT INTO crm_customers (document_id, email, external_id, name) SELECT 'doc' || g, 'buyer' || g || '@example.com', 'ext' || g, 'Buyer ' || g FROM generate_series(1, ?) g`,
      [total],
    );
    await knex.raw('ANALYZE crm_customers');
    ctx.log(`${total} customers filled in ${((Date.now() - filled) / 1000).toFixed(1)} s`);
    const scan = await sample(knex, total, ctx.quick ? 20 : 30);
    ctx.log(`without the indexes: p50 ${scan.p50.toFixed(2)} ms p95 ${scan.p95.toFixed(2)} ms`);
    const indexed = Date.now();
    await runMigrations(knex, migrations);
    await knex.raw('ANALYZE crm_customers');
    ctx.log(`unique indexes built in ${((Date.now() - indexed) / 1000).toFixed(1)} s`);
    const fast = await sample(knex, total, ctx.quick ? 500 : 2000);
    ctx.log(`with the indexes: p50 ${fast.p50.toFixed(3)} ms p95 ${fast.p95.toFixed(3)} ms`);
    const ratio = scan.p50 / fast.p50;
    ctx.check(scan.wrong === 0 && fast.wrong === 0, `look-ups found the wrong customer (${scan.wrong} without, ${fast.wrong} with the indexes)`);
    ctx.check(fast.p95 < 50, `indexed identify look-up p95 ${fast.p95.toFixed(2)} ms is not under 50 ms (a shared, loaded machine: the ratio is the measure)`);
    ctx.check(ratio >= 10, `ratio ${ratio.toFixed(1)} is under 10`);
    return {
      value: fast.p50,
      baseline: scan.p50,
      ratio,
      unit: 'ms p50 per identify look-up (PostgreSQL, indexed vs scan; ratio = scan / indexed, higher is better)',
      extra: { customers: total, indexedP95: fast.p95, scanP95: scan.p95 },
    };
  } finally {
    await knex.destroy();
    await db.drop();
  }
});
