import type { Knex } from 'knex';
import { TOUCHPOINTS_TABLE, VISITORS_TABLE } from '../utils/constants';
import { isSqlite } from '../utils/db';
import type { TouchpointRow } from './rows';

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

const TP_COLUMNS = [
  'occurred_at', 'received_at', 'type', 'channel', 'site', 'visitor_id', 'customer_id', 'session_id', 'source',
  'source_channel', 'country', 'device', 'browser', 'os', 'url', 'path', 'properties', 'dedupe_key',
] as const;
const V_COLUMNS = [
  'visitor_id', 'site', 'session_id', 'last_seen_at', 'first_seen_at', 'first_source', 'first_source_channel', 'country', 'timezone', 'language',
] as const;
/** the visitor columns an upsert refreshes; first_* and customer_id are never overwritten */
const V_MERGE = ['session_id', 'last_seen_at', 'country', 'timezone', 'language'] as const;

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
 * PostgreSQL: each flush is two statements, INSERT … SELECT FROM UNNEST(column arrays), in
 * one transaction — a constant statement text (no per-batch SQL building) and the fastest
 * bulk path short of COPY.
 */
export function pgWriter(knex: Knex): CollectWriter {
  const columnsOf = <R extends object>(rows: R[], columns: readonly (keyof R)[]) => columns.map((c) => rows.map((r) => r[c] ?? null));
  return {
    async loadVisitors(ids) {
      return knex(VISITORS_TABLE).whereIn('visitor_id', ids);
    },
    write(rows, visitors) {
      return knex.transaction(async (trx) => {
        const result = rows.length ? await trx.raw(TP_UNNEST, columnsOf(rows, TP_COLUMNS)) : { rowCount: 0 };
        if (visitors.length) {
          // one row per visitor: ON CONFLICT DO UPDATE may not touch the same row twice
          const unique = [...new Map(visitors.map((v) => [v.visitor_id, v])).values()];
          await trx.raw(V_UNNEST, columnsOf(unique, V_COLUMNS));
        }
        return Number((result as { rowCount?: number }).rowCount ?? 0);
      });
    },
  };
}

interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  transaction<T>(fn: () => T): () => T;
}

/**
 * SQLite (better-sqlite3): prepared single-row statements run in one synchronous transaction.
 * Compiling a multi-row INSERT through knex on every flush cost more than the write itself
 * (profiled: ~15 % of the collect path); a prepared statement is compiled once per connection.
 */
/** rows per multi-row statement: fewer JS -> SQLite calls; 32 x 18 binds stays far below limits */
const SQLITE_CHUNK = 32;

export function sqliteWriter(knex: Knex): CollectWriter {
  const prepared = new WeakMap<object, { tp: SqliteStatement; tpChunk: SqliteStatement; visitor: SqliteStatement; load: SqliteStatement }>();
  const tpInsert = (rows: number) =>
    `INSERT INTO ${TOUCHPOINTS_TABLE} (${TP_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${TP_COLUMNS.map(() => '?').join(', ')})`).join(', ')} ON CONFLICT (dedupe_key) DO NOTHING`;
  const statements = (db: SqliteDatabase) => {
    let s = prepared.get(db);
    if (!s) {
      s = {
        tp: db.prepare(tpInsert(1)),
        tpChunk: db.prepare(tpInsert(SQLITE_CHUNK)),
        visitor: db.prepare(
          `INSERT INTO ${VISITORS_TABLE} (${V_COLUMNS.join(', ')}) VALUES (${V_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (visitor_id) DO UPDATE SET ${V_MERGE.map((c) => `${c} = excluded.${c}`).join(', ')}`,
        ),
        load: db.prepare(`SELECT * FROM ${VISITORS_TABLE} WHERE visitor_id = ?`),
      };
      prepared.set(db, s);
    }
    return s;
  };
  const withConnection = async <T>(fn: (db: SqliteDatabase) => T): Promise<T> => {
    const client = knex.client as { acquireConnection(): Promise<SqliteDatabase>; releaseConnection(c: SqliteDatabase): Promise<void> };
    const db = await client.acquireConnection();
    try {
      return fn(db);
    } finally {
      await client.releaseConnection(db);
    }
  };
  return {
    loadVisitors(ids) {
      return withConnection((db) => {
        const { load } = statements(db);
        return ids.map((id) => load.get(id) as VisitorRow | undefined).filter((v): v is VisitorRow => !!v);
      });
    },
    write(rows, visitors) {
      return withConnection((db) => {
        const s = statements(db);
        return db.transaction(() => {
          let inserted = 0;
          let i = 0;
          for (; i + SQLITE_CHUNK <= rows.length; i += SQLITE_CHUNK) {
            const params: unknown[] = [];
            for (let r = i; r < i + SQLITE_CHUNK; r++) for (const c of TP_COLUMNS) params.push(rows[r][c]);
            inserted += s.tpChunk.run(...params).changes;
          }
          for (; i < rows.length; i++) inserted += s.tp.run(...TP_COLUMNS.map((c) => rows[i][c])).changes;
          for (const v of visitors) s.visitor.run(...V_COLUMNS.map((c) => v[c]));
          return inserted;
        })();
      });
    },
  };
}

/** config/database.ts allows SQLite and PostgreSQL only. */
export function createWriter(knex: Knex): CollectWriter {
  return isSqlite(knex) ? sqliteWriter(knex) : pgWriter(knex);
}
