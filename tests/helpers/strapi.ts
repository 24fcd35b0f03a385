/**
 * Boots a real Strapi (the Moat app with its plugins) on a fresh database for one test file.
 * Each boot gets its own secrets and database; `destroy()` shuts Strapi down and drops the
 * database. Strapi is loaded through require: its ESM build does not load under native ESM.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Core } from '@strapi/strapi';
import supertest from 'supertest';
import { createTestDatabase, type TestDatabase } from './database';

const require = createRequire(import.meta.url);
export const APP_DIR = join(__dirname, '..', '..');

export interface BootedStrapi {
  strapi: Core.Strapi;
  /** supertest bound to the running server */
  request: ReturnType<typeof supertest>;
  /** http://127.0.0.1:<port> of the running server */
  url: string;
  database: TestDatabase;
  destroy(): Promise<void>;
}

export interface BootOptions {
  /** extra environment for config files (e.g. MOAT_DEMO=true) */
  env?: Record<string, string>;
  /** serve the admin panel from dist/build (call ensureAdminBuild() first) */
  admin?: boolean;
  /** share another instance's database (it stays theirs: destroy() does not drop it) */
  database?: Pick<TestDatabase, 'client' | 'env'>;
}

const secret = () => randomBytes(16).toString('base64');

export async function bootStrapi(options: BootOptions = {}): Promise<BootedStrapi> {
  const shared = options.database;
  const database: TestDatabase = shared ? { ...shared, drop: async () => undefined } : await createTestDatabase();
  Object.assign(process.env, {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    MOAT_DEMO: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    APP_KEYS: [secret(), secret()].join(','),
    ADMIN_JWT_SECRET: secret(),
    API_TOKEN_SALT: secret(),
    TRANSFER_TOKEN_SALT: secret(),
    ENCRYPTION_KEY: secret(),
    JWT_SECRET: secret(),
    STRAPI_TELEMETRY_DISABLED: 'true',
    BROWSER: 'false',
    ...database.env,
    ...options.env,
  });
  const { createStrapi } = require('@strapi/strapi');
  const strapi: Core.Strapi = await createStrapi({
    appDir: APP_DIR,
    distDir: join(APP_DIR, 'dist'),
    autoReload: false,
    serveAdminPanel: options.admin === true,
  }).load();
  strapi.server.mount();
  const httpServer = strapi.server.httpServer;
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    strapi,
    request: supertest(httpServer),
    url: `http://127.0.0.1:${port}`,
    database,
    async destroy() {
      // work a test's last requests started after answering (collect's listeners, scoring,
      // flow triggers, metafield syncs) finishes first: closing the pool under a query that
      // waits for a connection rejects it ("aborted") where nobody listens any more
      await settle(strapi);
      await strapi.destroy();
      await database.drop();
    },
  };
}

/** Waits (at most 5 s) until the known background queues are idle and the pool is quiet for 150 ms. */
async function settle(strapi: Core.Strapi): Promise<void> {
  const idle = async (plugin: string, service: string) => {
    try {
      await (strapi.plugin(plugin)?.service(service) as { idle?: () => Promise<void> } | undefined)?.idle?.();
    } catch {
      // a plugin that is not loaded, or a queue that failed: nothing to wait for
    }
  };
  await new Promise((r) => setImmediate(r));
  await Promise.race([Promise.all([idle('crm', 'scoring'), idle('lifecycle-email', 'flows'), idle('shopify', 'metafields')]), new Promise((r) => setTimeout(r, 1_500))]);
  const pool = (strapi.db.connection.client as { pool?: { numUsed(): number; numPendingAcquires(): number } }).pool;
  if (!pool) return;
  const deadline = Date.now() + 5_000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    if (pool.numUsed() > 0 || pool.numPendingAcquires() > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 150) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

