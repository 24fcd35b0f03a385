import { stopWorker, workerScript } from '@moat/plugin-kit';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Knex } from 'knex';
import type { ReadReply, ReadRequest } from '../workers/reader';

/** Runs a read-only statement and returns its rows. */
export interface OffLoopReader {
  all<R = Record<string, unknown>>(sql: string, bindings: unknown[]): Promise<R[]>;
  /** how many reads went through the worker thread (tests: the refresh did not run inline) */
  readonly reads: number;
  close(): Promise<void>;
}

/** The SQLite file behind Strapi's connection, or null (PostgreSQL, or an in-memory database). */
export function sqliteFile(knex: Knex): string | null {
  const client = String(knex.client.config.client);
  if (client !== 'better-sqlite3' && client !== 'sqlite3' && client !== 'sqlite') return null;
  const filename = (knex.client.config.connection as { filename?: string } | undefined)?.filename;
  if (!filename || filename === ':memory:' || filename.startsWith('file::memory:')) return null;
  return filename;
}

/**
 * The rollup's heavy reads in a worker thread with its own read-only connection (see
 * workers/reader.ts for why). Started on first use; a thread that died is replaced on the
 * next read.
 */
export function sqliteReader(filename: string): OffLoopReader {
  let worker: Worker | null = null;
  let next = 0;
  let reads = 0;
  const waiting = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  const start = () => {
    const script = workerScript(__dirname, 'reader', join(__dirname, '..', 'workers', 'reader.ts'));
    const w = new Worker(script.code, { eval: script.eval, workerData: { filename } });
    w.unref();
    w.on('message', (reply: ReadReply) => {
      const pending = waiting.get(reply.id);
      if (!pending) return;
      waiting.delete(reply.id);
      if ('error' in reply) pending.reject(new Error(`insights reader: ${reply.error}`));
      else pending.resolve(reply.rows);
    });
    w.on('error', (error) => failAll(error));
    w.on('exit', () => {
      if (worker === w) worker = null;
      failAll(new Error('insights reader: the worker thread stopped'));
    });
    return w;
  };
  return {
    get reads() {
      return reads;
    },
    all<R>(sql: string, bindings: unknown[]): Promise<R[]> {
      worker ??= start();
      const id = ++next;
      reads++;
      const request: ReadRequest = { id, sql, bindings };
      return new Promise<R[]>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
        (worker as Worker).postMessage(request);
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await stopWorker(w);
    },
  };
}
