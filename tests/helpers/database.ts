/**
 * A fresh database for each test file: a temp SQLite file by default, or a new PostgreSQL
 * database when DATABASE_CLIENT=postgres (created through the server's `test` database and
 * dropped afterwards), so tests never share rows and need no truncation.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { Client } from 'pg';

export interface TestDatabase {
  client: 'sqlite' | 'postgres';
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const isPostgres = () => process.env.DATABASE_CLIENT === 'postgres';

function pgAdminConfig() {
  return {
    host: process.env.DATABASE_HOST ?? '127.0.0.1',
    port: Number(process.env.DATABASE_PORT ?? 5432),
    user: process.env.DATABASE_USERNAME ?? 'postgres',
    password: process.env.DATABASE_PASSWORD ?? '',
    database: process.env.DATABASE_ADMIN_DB ?? 'test',
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  if (isPostgres()) {
    const admin = pgAdminConfig();
    const name = `moat_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    const client = new Client(admin);
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    return {
      client: 'postgres',
      env: {
        DATABASE_CLIENT: 'postgres',
        DATABASE_URL: '',
        DATABASE_HOST: admin.host,
        DATABASE_PORT: String(admin.port),
        DATABASE_NAME: name,
        DATABASE_USERNAME: admin.user,
        DATABASE_PASSWORD: admin.password,
      },
      async drop() {
        const c = new Client(admin);
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'moat-db-'));
  return {
    client: 'sqlite',
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: join(dir, 'data.db') },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A knex connection of its own to a test database (outside Strapi): WAL and a busy timeout on
 * SQLite, as the app's config/database.ts sets them.
 */
export function knexFor(db: Pick<TestDatabase, 'client' | 'env'>): Knex {
  if (db.client === 'postgres') {
    return knexFactory({
      client: 'pg',
      connection: { host: db.env.DATABASE_HOST, port: Number(db.env.DATABASE_PORT), user: db.env.DATABASE_USERNAME, password: db.env.DATABASE_PASSWORD, database: db.env.DATABASE_NAME },
      pool: { min: 1, max: 2 },
    });
  }
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: db.env.DATABASE_FILENAME },
    useNullAsDefault: true,
    pool: {
      afterCreate: (c: { pragma(s: string): void }, done: (e: null, c: unknown) => void) => {
        c.pragma('journal_mode = WAL');
        c.pragma('busy_timeout = 5000');
        done(null, c);
      },
    },
  });
}
