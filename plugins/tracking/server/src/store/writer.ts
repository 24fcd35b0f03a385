import { stopWorker, workerScript } from '@moat/plugin-kit';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import { TOUCHPOINTS_TABLE, VISITORS_TABLE } from '../utils/constants';
import { isSqlite } from '../utils/db';
import type { TouchpointRow } from './rows';
import { configureConnection, prepareCollectWrite, type SqliteDatabase, TP_COLUMNS, V_COLUMNS, V_MERGE } from './sqlite-statements';

export interface VisitorRow {
  visitor_id: string;
  site: string | null;
  customer_id?: string | null;
  session_id: string | null;
  last_seen_at: number | string;
  first_seen_at: number | string;
  first_source: string | null;
  first_source_channel: string | null;
  country: string | null;
  timezone: string | null;
  language: string | null;
}

/** What the collect flush needs from the database: one read and one atomic write per batch. */
export interface CollectWriter {
  loadVisitors(ids: string[]): Promise<VisitorRow[]>;
  /** touchpoints + visitor upserts in one transaction; returns how many touchpoints were new */
  write(rows: TouchpointRow[], visitors: VisitorRow[]): Promise<number>;
}

const flatten = <R extends object>(rows: R[], columns: readonly (keyof R)[]) => {
  const out: unknown[] = new Array(rows.length * columns.length);
  let i = 0;
  for (const row of rows) for (const c of columns) out[i++] = row[c] ?? null;
  return out;
};

const TP_PG_TYPES: Record<(typeof TP_COLUMNS)[number], string> = {
  occurred_at: 'bigint', received_at: 'bigint', type: 'text', channel: 'text', site: 'text', visitor_id: 'text',
  customer_id: 'text', session_id: 'text', source: 'text', source_channel: 'text', country: 'text', device: 'text',
  browser: 'text', os: 'text', url: 'text', path: 'text', properties: 'jsonb', dedupe_key: 'text',
};
const V_PG_TYPES: Record<(typeof V_COLUMNS)[number], string> = {
  visitor_id: 'text', site: 'text', session_id: 'text', last_seen_at: 'bigint', first_seen_at: 'bigint', first_source: 'text',
  first_source_channel: 'text', country: 'text', timezone: 'text', language: 'text',
};
/** One statement text whatever the batch size: one array parameter per column (UNNEST). */
const unnest = (table: string, columns: readonly string[], types: Record<string, string>, conflict: string) =>
  `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((c) => (types[c] === 'jsonb' ? `${c}::jsonb` : c)).join(', ')} FROM UNNEST(${columns
    .map((c) => `?::${types[c] === 'jsonb' ? 'text' : types[c]}[]`)
    .join(', ')}) AS t(${columns.join(', ')}) ${conflict}`;
const TP_UNNEST = unnest(TOUCHPOINTS_TABLE, TP_COLUMNS, TP_PG_TYPES, 'ON CONFLICT (dedupe_key) DO NOTHING');
const V_UNNEST = unnest(
  VISITORS_TABLE,
  V_COLUMNS,
  V_PG_TYPES,
  `ON CONFLICT (visitor_id) DO UPDATE SET ${V_MERGE.map((c) => `${c} = excluded.${c}`).join(', ')}`,
);

/**
 * PostgreSQL: each flush is ONE statement: INSERT … SELECT FROM UNNEST(column arrays) for
 * the touchpoints, and the visitor upsert in a data-modifying CTE of the same statement. One
 * statement is atomic on its own, so no BEGIN/COMMIT: one round trip instead of four. The
 * text is constant whatever the batch size (no per-batch SQL building).
 */
const PG_WRITE = `WITH tp AS (${TP_UNNEST} RETURNING 1), v AS (${V_UNNEST}) SELECT count(*)::int AS inserted FROM tp`;

export function pgWriter(knex: Knex): CollectWriter {
  const columnsOf = <R extends object>(rows: R[], columns: readonly (keyof R)[]) => columns.map((c) => rows.map((r) => r[c] ?? null));
  return {
    async loadVisitors(ids) {
      return knex(VISITORS_TABLE).whereIn('visitor_id', ids);
    },
    async write(rows, visitors) {
      // one row per visitor: ON CONFLICT DO UPDATE may not touch the same row twice
      const unique = [...new Map(visitors.map((v) => [v.visitor_id, v])).values()];
      const result = await knex.raw(PG_WRITE, [...columnsOf(rows, TP_COLUMNS), ...columnsOf(unique, V_COLUMNS)]);
      return Number((result as { rows: Array<{ inserted: number }> }).rows[0]?.inserted ?? 0);
    },
  };
}

/** Runs fn on Strapi's own SQLite connection (knex's pool holds one). */
function onStrapiConnection<T>(knex: Knex, fn: (db: SqliteDatabase) => T): Promise<T> {
  const client = knex.client as { acquireConnection(): Promise<SqliteDatabase>; releaseConnection(c: SqliteDatabase): Promise<void> };
  return client.acquireConnection().then((db) => {
    try {
      return fn(db);
    } finally {
      void client.releaseConnection(db);
    }
  });
}

function visitorLoader(db: SqliteDatabase) {
  const statement = db.prepare(`SELECT * FROM ${VISITORS_TABLE} WHERE visitor_id = ?`);
  return (ids: string[]) => {
    const found: VisitorRow[] = [];
    for (const id of ids) {
      const row = statement.get(id) as VisitorRow | undefined;
      if (row) found.push(row);
    }
    return found;
  };
}

/**
 * SQLite in-memory databases: Strapi's own connection (another connection cannot open the
 * same in-memory database), reached through knex's pool, so asynchronous.
 */
export function sqliteInlineWriter(knex: Knex): CollectWriter {
  const prepared = new WeakMap<object, { load: ReturnType<typeof visitorLoader>; write: ReturnType<typeof prepareCollectWrite> }>();
  const on = <T>(fn: (p: { load: ReturnType<typeof visitorLoader>; write: ReturnType<typeof prepareCollectWrite> }) => T) =>
    onStrapiConnection(knex, (db) => {
      let p = prepared.get(db);
      if (!p) prepared.set(db, (p = { load: visitorLoader(db), write: prepareCollectWrite(db) }));
      return fn(p);
    });
  return {
    loadVisitors: (ids) => on((p) => p.load(ids)),
    write: (rows, visitors) => on((p) => p.write(flatten(rows, TP_COLUMNS), flatten(visitors, V_COLUMNS))),
  };
}

/** SQLITE_BUSY: another connection holds the write lock right now; try again shortly. */
export const isBusy = (error: unknown) => /^SQLITE_BUSY/.test(String((error as { code?: unknown })?.code ?? ''));

/**
 * SQLite with a database file: the collect path's own connection, used synchronously. A flush
 * then reads visitors, writes and answers its requests within the event-loop turn that
 * filled it, instead of waiting for the turn to end to get knex's pooled connection: profiled
 * at 256 connections, that wait made every request sit through two full turns (p99 ≈ 2 turns).
 * busy_timeout is 0: when Strapi's connection holds the write lock (a transaction awaiting
 * something), waiting here would block the very event loop that must release it; the write
 * throws SQLITE_BUSY instead and the collector retries it a few milliseconds later.
 */
export interface SyncCollectWriter {
  loadVisitors(ids: string[]): VisitorRow[];
  /** touchpoints + visitor upserts in one transaction; throws SQLITE_BUSY when the lock is taken */
  write(rows: TouchpointRow[], visitors: VisitorRow[]): number;
  /** Resolves once the checkpointer thread has closed its connection too (files are released). */
  close(): Promise<void>;
}

/** How often the checkpointer thread folds the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 200;

export function sqliteOwnConnectionWriter(filename: string, log: (message: string) => void): SyncCollectWriter {
  // better-sqlite3 is Strapi's SQLite driver; it ships no types (SqliteDatabase is what we use)
  const Database = require('better-sqlite3') as new (file: string) => SqliteDatabase;
  const db = new Database(filename);
  configureConnection(db);
  const load = visitorLoader(db);
  const write = prepareCollectWrite(db);
  // checkpoints run in a worker thread; if it ever stops, this connection checkpoints itself
  const script = workerScript(__dirname, 'checkpointer', join(__dirname, 'checkpointer.ts'));
  let checkpointer: Worker | null = new Worker(script.code, { eval: script.eval, workerData: { filename, everyMs: CHECKPOINT_EVERY_MS } });
  db.pragma('wal_autocheckpoint = 0');
  checkpointer.unref();
  checkpointer.on('error', (error) => log(`[tracking] WAL checkpointer failed, checkpointing inline: ${error.message}`));
  checkpointer.on('exit', () => {
    if (!checkpointer) return;
    checkpointer = null;
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  });
  return {
    loadVisitors: load,
    write: (rows, visitors) => write(flatten(rows, TP_COLUMNS), flatten(visitors, V_COLUMNS)),
    close: async () => {
      const worker = checkpointer;
      checkpointer = null;
      db.close();
      if (!worker) return;
      // The thread's connection is then the last one: closing it checkpoints and removes the
      // -wal/-shm files. Wait for that, or whoever deletes the database next races the thread.
      await stopWorker(worker);
    },
  };
}

/** config/database.ts allows SQLite and PostgreSQL only. */
export function createWriter(knex: Knex, log: (message: string) => void): { sync: SyncCollectWriter } | { async: CollectWriter } {
  if (!isSqlite(knex)) return { async: pgWriter(knex) };
  const filename = (knex.client.config.connection as { filename?: string } | undefined)?.filename;
  const inMemory = !filename || filename === ':memory:' || filename.startsWith('file::memory:');
  return inMemory ? { async: sqliteInlineWriter(knex) } : { sync: sqliteOwnConnectionWriter(filename, log) };
}
