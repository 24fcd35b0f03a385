import type { Knex } from 'knex';

/** the databases Moat's plugins run on */
export type DatabaseClient = 'sqlite' | 'postgres';

/**
 * One step of a plugin's own schema. `up` receives the migration's transaction: use it for
 * every query (on SQLite the pool has one connection, so the outer knex would wait forever).
 * Names are recorded per plugin and must never change once released.
 */
export type PluginMigration = {
  name: string;
  up(knex: Knex, ctx: { client: DatabaseClient }): Promise<void>;
};

/** the part of a Strapi instance the runner uses (kept structural: no @strapi/strapi import) */
export interface MigrationHost {
  db: { connection: Knex };
  log?: { info(message: string): void };
}

/** one row per (plugin, migration) that ran; Strapi's schema sync leaves tables it did not create alone */
export const MIGRATIONS_TABLE = 'moat_plugin_migrations';

/** PostgreSQL advisory lock key (any constant bigint): one migrating instance at a time */
const PG_LOCK_KEY = 0x6d6f6174; // "moat"

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
  plugin varchar(64) NOT NULL,
  name varchar(200) NOT NULL,
  ran_at bigint NOT NULL,
  PRIMARY KEY (plugin, name)
)`;

export function clientOf(knex: Knex): DatabaseClient {
  const name = String(knex.client.config.client);
  if (name.includes('sqlite')) return 'sqlite';
  if (name === 'pg' || name === 'postgres' || name === 'postgresql') return 'postgres';
  throw new Error(`Moat plugins run on SQLite or PostgreSQL; this database client is "${name}"`);
}

function checkList(plugin: string, migrations: PluginMigration[]): void {
  if (!/^[a-z0-9-]{1,64}$/.test(plugin)) throw new Error(`plugin-kit: plugin id "${plugin}" must be 1-64 lowercase letters, digits or "-"`);
  const seen = new Set<string>();
  for (const migration of migrations) {
    if (!migration.name || migration.name.length > 200) throw new Error(`plugin-kit: ${plugin} has a migration without a name (or one over 200 characters)`);
    if (seen.has(migration.name)) throw new Error(`plugin-kit: ${plugin} lists migration "${migration.name}" twice`);
    seen.add(migration.name);
  }
}

async function ensureRecordTable(knex: Knex, client: DatabaseClient): Promise<void> {
  if (client === 'sqlite') {
    // one statement, atomic on its own
    await knex.raw(CREATE_TABLE);
    return;
  }
  // two instances issuing CREATE TABLE IF NOT EXISTS at once can collide on the catalog's unique index
  await knex.transaction(async (trx) => {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [PG_LOCK_KEY]);
    await trx.raw(CREATE_TABLE);
  });
}

/**
 * Claims a migration inside its transaction; false when another instance already ran it.
 * PostgreSQL: the advisory lock serializes migrating instances, then the record is read again.
 * SQLite: the claim is the transaction's FIRST statement and a write, so a second process
 * waits on the write lock (busy_timeout) rather than failing on a read-to-write upgrade, and
 * once the first commits, its claim hits the primary key and changes nothing.
 */
async function claim(trx: Knex.Transaction, client: DatabaseClient, plugin: string, name: string): Promise<boolean> {
  if (client === 'postgres') {
    await trx.raw('SELECT pg_advisory_xact_lock(?)', [PG_LOCK_KEY]);
    const done = await trx(MIGRATIONS_TABLE).where({ plugin, name }).first();
    if (done) return false;
    await trx(MIGRATIONS_TABLE).insert({ plugin, name, ran_at: Date.now() });
    return true;
  }
  const result = (await trx.raw(`INSERT INTO ${MIGRATIONS_TABLE} (plugin, name, ran_at) VALUES (?, ?, ?) ON CONFLICT (plugin, name) DO NOTHING`, [
    plugin,
    name,
    Date.now(),
  ])) as { changes?: number };
  return result.changes === 1;
}

/**
 * Runs, in list order, the plugin's migrations not yet recorded in `moat_plugin_migrations`,
 * each in its own transaction together with its record (PostgreSQL and SQLite both roll DDL
 * back). Call it from the plugin's `register`: it runs before Strapi's schema sync, and
 * bootstrap code may rely on the tables. Returns the names that ran here.
 */
export async function runPluginMigrations(strapi: MigrationHost, plugin: string, migrations: PluginMigration[]): Promise<string[]> {
  checkList(plugin, migrations);
  const knex = strapi.db.connection;
  const client = clientOf(knex);
  await ensureRecordTable(knex, client);
  const recorded = new Set((await knex(MIGRATIONS_TABLE).where({ plugin }).select('name')).map((row: { name: string }) => row.name));
  const ran: string[] = [];
  for (const migration of migrations) {
    if (recorded.has(migration.name)) continue;
    const started = Date.now();
    const applied = await knex.transaction(async (trx) => {
      if (!(await claim(trx, client, plugin, migration.name))) return false;
      await migration.up(trx, { client });
      return true;
    });
    if (!applied) continue;
    ran.push(migration.name);
    strapi.log?.info(`[${plugin}] migration ${migration.name} ran in ${Date.now() - started} ms`);
  }
  return ran;
}

/** what ran for a plugin, in order (tests and diagnostics) */
export async function recordedMigrations(knex: Knex, plugin: string): Promise<{ name: string; ranAt: number }[]> {
  if (!(await knex.schema.hasTable(MIGRATIONS_TABLE))) return [];
  const rows = await knex(MIGRATIONS_TABLE).where({ plugin }).orderBy([{ column: 'ran_at' }, { column: 'name' }]);
  return rows.map((row: { name: string; ran_at: string | number }) => ({ name: row.name, ranAt: Number(row.ran_at) }));
}
