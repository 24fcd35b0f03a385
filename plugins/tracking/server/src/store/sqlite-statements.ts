import { TOUCHPOINTS_TABLE, VISITORS_TABLE } from '../utils/constants';

/** Column order of the collect writes; rows travel as flat value arrays in this order. */
export const TP_COLUMNS = [
  'occurred_at', 'received_at', 'type', 'channel', 'site', 'visitor_id', 'customer_id', 'session_id', 'source',
  'source_channel', 'country', 'device', 'browser', 'os', 'url', 'path', 'properties', 'dedupe_key',
] as const;
export const V_COLUMNS = [
  'visitor_id', 'site', 'session_id', 'last_seen_at', 'first_seen_at', 'first_source', 'first_source_channel', 'country', 'timezone', 'language',
] as const;
/** the visitor columns an upsert refreshes; first_* and customer_id are never overwritten */
export const V_MERGE = ['session_id', 'last_seen_at', 'country', 'timezone', 'language'] as const;

/** rows per multi-row statement: fewer JS -> SQLite calls; 32 x 18 binds stays far below limits */
export const SQLITE_CHUNK = 32;

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
}
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  transaction<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T;
  pragma(sql: string): unknown;
  close(): void;
  readonly open: boolean;
}

const tpInsert = (rows: number) =>
  `INSERT INTO ${TOUCHPOINTS_TABLE} (${TP_COLUMNS.join(', ')}) VALUES ${Array.from({ length: rows }, () => `(${TP_COLUMNS.map(() => '?').join(', ')})`).join(', ')} ON CONFLICT (dedupe_key) DO NOTHING`;
const visitorUpsert = `INSERT INTO ${VISITORS_TABLE} (${V_COLUMNS.join(', ')}) VALUES (${V_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (visitor_id) DO UPDATE SET ${V_MERGE.map((c) => `${c} = excluded.${c}`).join(', ')}`;

/**
 * The collect write on one better-sqlite3 connection, prepared once: touchpoints (flat values,
 * TP_COLUMNS order) and visitor upserts (V_COLUMNS order) in one transaction. Returns how
 * many touchpoints were new. Prepared on the collect path's own connection, or on Strapi's for in-memory databases.
 */
export function prepareCollectWrite(db: SqliteDatabase): (tp: unknown[], visitors: unknown[]) => number {
  const one = db.prepare(tpInsert(1));
  const chunk = db.prepare(tpInsert(SQLITE_CHUNK));
  const visitor = db.prepare(visitorUpsert);
  const width = TP_COLUMNS.length;
  const vWidth = V_COLUMNS.length;
  return db.transaction((tp: unknown[], visitors: unknown[]) => {
    let inserted = 0;
    let i = 0;
    const chunkSize = SQLITE_CHUNK * width;
    for (; i + chunkSize <= tp.length; i += chunkSize) inserted += chunk.run(tp.slice(i, i + chunkSize)).changes;
    for (; i < tp.length; i += width) inserted += one.run(tp.slice(i, i + width)).changes;
    for (let v = 0; v < visitors.length; v += vWidth) visitor.run(visitors.slice(v, v + vWidth));
    return inserted;
  });
}

/** The collect connection's pragmas: config/database.ts's, but never waiting for a lock. */
export function configureConnection(db: SqliteDatabase) {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 0');
}
