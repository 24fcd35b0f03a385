/**
 * The collect path's own SQLite connection and its WAL checkpointer thread, on a bare
 * database file (the thread runs the built worker, dist/workers/checkpointer).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../plugins/tracking/server/src/migrations';
import { toRow } from '../../plugins/tracking/server/src/store/rows';
import { sqliteOwnConnectionWriter } from '../../plugins/tracking/server/src/store/writer';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const { runPluginMigrations } = require('@moat/plugin-kit');

describe.skipIf(process.env.DATABASE_CLIENT === 'postgres')('collect writer on a SQLite file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function database() {
    const dir = mkdtempSync(join(tmpdir(), 'moat-writer-'));
    dirs.push(dir);
    const file = join(dir, 'data.db');
    const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: file }, useNullAsDefault: true });
    await runPluginMigrations({ db: { connection: knex } }, 'tracking', migrations);
    await knex.raw('PRAGMA journal_mode = WAL');
    await knex.destroy();
    return file;
  }

  it('close() resolves only once the checkpointer thread has closed its connection', async () => {
    const file = await database();
    const writer = sqliteOwnConnectionWriter(file, () => undefined);
    const row = toRow({ type: 'page_view', channel: 'web', occurredAt: Date.now(), visitorId: 'vwriter1', dedupeKey: 'w:vwriter1:e1' }, Date.now());
    expect(writer.write([row], [])).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // the thread is up and has checkpointed
    await writer.close();
    // leaving WAL mode needs every other connection gone: a thread still holding one keeps it "wal"
    const probe = new Database(file, { timeout: 0 });
    try {
      expect(probe.pragma('journal_mode = DELETE', { simple: true })).toBe('delete');
      expect(probe.prepare('SELECT count(*) AS n FROM moat_touchpoints').get()).toEqual({ n: 1 });
    } finally {
      probe.close();
    }
  });
});
