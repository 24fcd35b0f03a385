/**
 * Worker-thread entry: checkpoints the SQLite WAL on its own connection, so the collect
 * path's connection can run with wal_autocheckpoint = 0. An auto-checkpoint copies ~4 MB of
 * WAL into the database and fsyncs it inside whichever commit crosses the threshold; on the
 * event loop that was a 15 ms stall for every request in flight, a dozen times a minute at
 * 10,000 events/s. PASSIVE never blocks writers or readers: it copies what it can.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SqliteDatabase } from './sqlite-statements';

const { filename, everyMs } = workerData as { filename: string; everyMs: number };
// better-sqlite3 ships no types; SqliteDatabase is the part we use
const Database = require('better-sqlite3') as new (file: string) => SqliteDatabase;
const db = new Database(filename);
db.pragma('busy_timeout = 1000');

const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or locked: the next tick tries again
  }
}, everyMs);

parentPort?.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort?.close();
});
