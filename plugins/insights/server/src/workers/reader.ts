/**
 * Worker-thread entry: runs the rollup's aggregate reads on a read-only SQLite connection of
 * its own. better-sqlite3 is synchronous, so on Strapi's connection a refresh over a busy
 * day (160,000 touchpoints: about 0.7 s) froze the event loop, and with it every collect
 * request in flight, every 30 s. In WAL mode this reader sees the last commit and never
 * blocks the collect writer.
 */
import { parentPort, workerData } from 'node:worker_threads';

interface Statement {
  all(...bindings: unknown[]): unknown[];
}
interface Database {
  prepare(sql: string): Statement;
  pragma(sql: string): unknown;
  close(): void;
}
export interface ReadRequest {
  id: number;
  sql: string;
  bindings: unknown[];
}
export type ReadReply = { id: number; rows: unknown[] } | { id: number; error: string };

const { filename } = workerData as { filename: string };
// better-sqlite3 is Strapi's SQLite driver (a peer of this plugin); it ships no types
const Sqlite = require('better-sqlite3') as new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => Database;
const db = new Sqlite(filename, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map<string, Statement>();

parentPort?.on('message', (message: ReadRequest | 'close') => {
  if (message === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  let reply: ReadReply;
  try {
    let statement = statements.get(message.sql);
    if (!statement) {
      statement = db.prepare(message.sql);
      // the rollup uses a handful of fixed statements; anything else is not kept
      if (statements.size < 32) statements.set(message.sql, statement);
    }
    reply = { id: message.id, rows: statement.all(...message.bindings) };
  } catch (error) {
    reply = { id: message.id, error: (error as Error).message };
  }
  parentPort?.postMessage(reply);
});
