/**
 * The tracking plugin owns its tables (run by @moat/plugin-kit from register). A database the
 * app made before, with its own database/migrations (copies in tests/fixtures/app-migrations-2026-12,
 * recorded in strapi_migrations as Strapi does), must boot on the plugin-owned schema without
 * losing a row, and each plugin migration is recorded exactly once however often the app
 * boots, or however many instances migrate at the same time. SQLite, and PostgreSQL with
 * DATABASE_CLIENT=postgres.
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Knex } from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../plugins/tracking/server/src/migrations';
import { createTestDatabase, knexFor, type TestDatabase } from '../helpers/database';
import { bootStrapi } from '../helpers/strapi';

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const kit = require('@moat/plugin-kit') as typeof import('@moat/plugin-kit');

const LEGACY_DIR = join(__dirname, '..', 'fixtures', 'app-migrations-2026-12');
const LEGACY = readdirSync(LEGACY_DIR)
  .filter((f) => f.endsWith('.js'))
  .sort();

/** what Strapi 5.54 did with database/migrations: each file in a transaction, logged by file name */
async function migrateLikeTheOldApp(knex: Knex) {
  await knex.schema.createTable('strapi_migrations', (t) => {
    t.increments('id');
    t.string('name');
    t.datetime('time', { useTz: false });
  });
  for (const file of LEGACY) {
    const { up } = require(join(LEGACY_DIR, file)) as { up(k: Knex): Promise<void> };
    await knex.transaction(async (trx) => {
      await up(trx);
      await trx('strapi_migrations').insert({ name: file, time: new Date() });
    });
  }
}

const now = Date.now();
const TOUCHPOINTS = [
  { occurred_at: now - 3000, received_at: now - 2900, type: 'page_view', channel: 'web', site: 'shop1', visitor_id: 'v-up-1', session_id: 's1', path: '/a', properties: '{"title":"A"}', dedupe_key: 'web:v-up-1:e1' },
  { occurred_at: now - 2000, received_at: now - 1900, type: 'form_submit', channel: 'web', site: 'shop1', visitor_id: 'v-up-1', customer_id: 'cust-up-1', session_id: 's1', path: '/contact', properties: '{"form":"contact"}', dedupe_key: 'web:v-up-1:e2' },
  { occurred_at: now - 1000, received_at: now - 900, type: 'email_opened', channel: 'email', customer_id: 'cust-up-1', properties: null, dedupe_key: 'email:m1:open' },
];
const VISITOR = { visitor_id: 'v-up-1', site: 'shop1', customer_id: 'cust-up-1', session_id: 's1', last_seen_at: now - 2000, first_seen_at: now - 3000, first_source: 'google', first_source_channel: 'search', country: 'DE', timezone: 'Europe/Berlin', language: 'de' };
const PRODUCT = { site: 'shop1', key: '8001', handle: 'tray', title: 'Tray', variants: '[{"id":"44012345678901","price":12.5,"currency":"EUR"}]', url: null, image: null, updated_at: now - 400 };
const VARIANT = { site: 'shop1', variant_id: '44012345678901', product_key: '8001' };
const DELIVERY = { source: 'woocommerce', site: 'woo1', delivery_id: 'd-77', topic: 'order.created', webhook_id: '12', received_at: now - 500 };

async function snapshot(knex: Knex) {
  const touchpoints = await knex('moat_touchpoints').orderBy('id');
  const visitors = await knex('moat_visitors').orderBy('visitor_id');
  const deliveries = await knex('moat_webhook_deliveries').orderBy('delivery_id');
  const products = await knex('moat_products').orderBy('key');
  const variants = await knex('moat_product_variants').orderBy('variant_id');
  const strapiMigrations = (await knex('strapi_migrations').orderBy('id')).map((r: { name: string }) => r.name);
  // compare values, not driver types: bigint comes back as a string on PostgreSQL, and jsonb
  // parsed by a bare pg client but as text through Strapi's
  const value = (k: string, v: unknown) => {
    if (typeof v !== 'string') return v;
    if (k.endsWith('_at') && /^\d+$/.test(v)) return Number(v);
    return k === 'properties' ? JSON.parse(v) : v;
  };
  const norm = (rows: Record<string, unknown>[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, value(k, v)])));
  return { touchpoints: norm(touchpoints), visitors: norm(visitors), deliveries: norm(deliveries), products: norm(products), variants: norm(variants), strapiMigrations };
}

async function indexDefinitions(knex: Knex, client: 'sqlite' | 'postgres') {
  if (client === 'sqlite') {
    const rows = await knex.raw(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'moat_touchpoints' AND sql IS NOT NULL ORDER BY name`);
    return Object.fromEntries((rows as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));
  }
  const result = await knex.raw(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'moat_touchpoints' AND schemaname = current_schema() ORDER BY indexname`);
  return Object.fromEntries((result.rows as { indexname: string; indexdef: string }[]).map((r) => [r.indexname, r.indexdef]));
}

describe('tracking: plugin-owned schema', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  it('boots a database made by the old app migrations without losing rows, and records each migration once over two boots', { timeout: 240_000 }, async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const knex = knexFor(db);
    let before: Awaited<ReturnType<typeof snapshot>>;
    let indexesBefore: Record<string, string>;
    try {
      await migrateLikeTheOldApp(knex);
      await knex('moat_touchpoints').insert(TOUCHPOINTS);
      await knex('moat_visitors').insert(VISITOR);
      await knex('moat_webhook_deliveries').insert(DELIVERY);
      await knex('moat_products').insert(PRODUCT);
      await knex('moat_product_variants').insert(VARIANT);
      before = await snapshot(knex);
      indexesBefore = await indexDefinitions(knex, db.client);
    } finally {
      await knex.destroy();
    }
    expect(before.touchpoints).toHaveLength(3);
    expect(before.strapiMigrations).toEqual(LEGACY);

    for (const boot of [1, 2]) {
      const app = await bootStrapi({ database: db });
      try {
        const k = app.strapi.db.connection;
        const after = await snapshot(k);
        // every row kept; the app's own remaining migrations (database/migrations) may add log rows
        expect({ ...after, strapiMigrations: [] }, `boot ${boot}`).toEqual({ ...before, strapiMigrations: [] });
        expect(after.strapiMigrations.slice(0, before.strapiMigrations.length)).toEqual(before.strapiMigrations);
        // the indexes the old migrations made are the ones the plugin's make: nothing rebuilt, nothing missing
        // (other plugins, e.g. insights, may add indexes of their own)
        expect(await indexDefinitions(k, db.client)).toMatchObject(indexesBefore);
        const recorded = await kit.recordedMigrations(k, 'tracking');
        expect(recorded.map((r) => r.name).sort()).toEqual(migrations.map((m) => m.name).sort());
        const [{ n }] = await k(kit.MIGRATIONS_TABLE).where({ plugin: 'tracking' }).count({ n: '*' });
        expect(Number(n)).toBe(migrations.length);
        // the duplicate guard still sees the old rows: recording an old event again stores nothing
        const touchpoints = app.strapi.plugin('tracking').service('touchpoints');
        expect(await touchpoints.record({ type: 'email_opened', channel: 'email', customerId: 'cust-up-1', occurredAt: now - 1000, dedupeKey: 'email:m1:open' })).toBe(false);
        // the cart line still resolves through the variant the old migration's table held
        const found = await app.strapi.plugin('tracking').service('catalog').byVariantIds('shop1', ['44012345678901']);
        expect(found.get('44012345678901')?.product.title).toBe('Tray');
      } finally {
        await app.strapi.destroy();
      }
    }
  });

  it("every plugin's raw tables made before the runner recorded them (unrecorded idempotent runs) keep their rows, and each plugin's steps are recorded once", { timeout: 240_000 }, async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const owners = ['crm', 'lifecycle-email', 'insights', 'shopify'];
    const first = await bootStrapi({ database: db });
    try {
      const k = first.strapi.db.connection;
      // the state of a database from before: tables there, nothing recorded for these plugins
      await k(kit.MIGRATIONS_TABLE).whereIn('plugin', owners).delete();
      await k('moat_messages').insert({ idempotency_key: 'upgrade:1', status: 'sent', lane: 'bulk', kind: 'marketing', recipient: 'kept@example.com', template_key: 'welcome', attempts: 1, send_at: now, created_at: now, updated_at: now });
      await k('shopify_shops').insert({ shop: 'kept.myshopify.com', installed_at: now, updated_at: now });
      await k('moat_insights_spend').insert({ day: 20_000, source: 'google', medium: 'cpc', campaign: 'kept', impressions: 10, clicks: 2, spend: 3.5, currency: 'USD' });
    } finally {
      await first.strapi.destroy();
    }
    for (const boot of [2, 3]) {
      const app = await bootStrapi({ database: db });
      try {
        const k = app.strapi.db.connection;
        expect(await k('moat_messages').where({ idempotency_key: 'upgrade:1' }).first(), `boot ${boot}`).toMatchObject({ recipient: 'kept@example.com' });
        expect(await k('shopify_shops').where({ shop: 'kept.myshopify.com' }).first()).toBeTruthy();
        expect(await k('moat_insights_spend').where({ campaign: 'kept' }).first()).toBeTruthy();
        for (const plugin of owners) {
          const recorded = (await kit.recordedMigrations(k, plugin)).map((r) => r.name);
          expect(recorded.length, plugin).toBeGreaterThan(0);
          expect(new Set(recorded).size, plugin).toBe(recorded.length);
        }
      } finally {
        await app.strapi.destroy();
      }
    }
  });

  it('creates the tables on an empty database the same as the old app migrations did', async () => {
    const legacy = await createTestDatabase();
    const fresh = await createTestDatabase();
    databases.push(legacy, fresh);
    const a = knexFor(legacy);
    const b = knexFor(fresh);
    try {
      await migrateLikeTheOldApp(a);
      const ran = await kit.runPluginMigrations({ db: { connection: b } }, 'tracking', migrations);
      expect(ran).toEqual(migrations.map((m) => m.name));
      expect(await indexDefinitions(b, fresh.client)).toEqual(await indexDefinitions(a, legacy.client));
      for (const table of ['moat_touchpoints', 'moat_visitors', 'moat_webhook_deliveries', 'moat_products', 'moat_product_variants']) {
        expect(Object.keys(await b(table).columnInfo()).sort(), table).toEqual(Object.keys(await a(table).columnInfo()).sort());
      }
      // a second run finds everything recorded and runs nothing
      expect(await kit.runPluginMigrations({ db: { connection: b } }, 'tracking', migrations)).toEqual([]);
    } finally {
      await a.destroy();
      await b.destroy();
    }
  });

  it('runs each migration once when two instances (processes) migrate the same database at the same time', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const instance = () => run(process.execPath, [join(__dirname, '..', 'helpers', 'migrate-instance.cjs'), JSON.stringify(db.env)]);
    const [x, y] = await Promise.all([instance(), instance()]);
    // between them they ran every migration, and no migration ran in both
    const ran = [...JSON.parse(x.stdout), ...JSON.parse(y.stdout)];
    expect(ran.sort()).toEqual(migrations.map((m) => m.name).sort());
    const knex = knexFor(db);
    try {
      expect((await kit.recordedMigrations(knex, 'tracking')).map((r) => r.name).sort()).toEqual(migrations.map((m) => m.name).sort());
      expect(await knex.schema.hasTable('moat_webhook_deliveries')).toBe(true);
    } finally {
      await knex.destroy();
    }
  });

  it('rolls a failed migration back with its record, so the next boot runs it again', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const knex = knexFor(db);
    const step = (fail: boolean) => ({
      name: 'create-then-fail',
      async up(k: Knex) {
        await k.schema.createTable('moat_kit_probe', (t) => t.string('x'));
        if (fail) throw new Error('boom');
      },
    });
    try {
      await expect(kit.runPluginMigrations({ db: { connection: knex } }, 'kit-probe', [step(true)])).rejects.toThrow('boom');
      expect(await knex.schema.hasTable('moat_kit_probe')).toBe(false);
      expect(await kit.recordedMigrations(knex, 'kit-probe')).toEqual([]);
      expect(await kit.runPluginMigrations({ db: { connection: knex } }, 'kit-probe', [step(false)])).toEqual(['create-then-fail']);
      expect(await knex.schema.hasTable('moat_kit_probe')).toBe(true);
    } finally {
      await knex.destroy();
    }
  });
});
