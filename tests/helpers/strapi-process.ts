/**
 * A second Moat instance in its own process, sharing a test's database: what a deployment
 * with several instances behind a load balancer looks like. Run as a script it boots the
 * instance and prints its URL; spawnStrapi() starts it and stops it.
 */
import { spawn } from 'node:child_process';
import supertest from 'supertest';
import { type BootedStrapi, bootStrapi } from './strapi';
import type { TestDatabase } from './database';

export interface StrapiProcess {
  url: string;
  request: ReturnType<typeof supertest>;
  stop(): Promise<void>;
  /** kill -9: no shutdown hooks run (a crash, an OOM kill) */
  kill(): Promise<void>;
}

export async function spawnStrapi(database: Pick<TestDatabase, 'client' | 'env'>, env: Record<string, string> = {}): Promise<StrapiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    env: { ...process.env, MOAT_CHILD_INSTANCE: JSON.stringify({ database: { client: database.client, env: database.env }, env }) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /MOAT_URL=(\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`the second instance exited with ${code} before it listened`)));
  });
  return {
    url,
    request: supertest(url),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface TwoInstances {
  /** in this process (its strapi is reachable) */
  a: BootedStrapi;
  /** in a child process */
  b: StrapiProcess;
  destroy(): Promise<void>;
}

/** Instance A here and B in a child process, on one fresh database, with the same config. */
export async function bootTwoInstances(env: Record<string, string>): Promise<TwoInstances> {
  const a = await bootStrapi({ env });
  const b = await spawnStrapi(a.database, env).catch(async (error) => {
    await a.destroy();
    throw error;
  });
  return {
    a,
    b,
    destroy: async () => {
      await b.stop();
      await a.destroy();
    },
  };
}

if (process.env.MOAT_CHILD_INSTANCE) {
  const { database, env } = JSON.parse(process.env.MOAT_CHILD_INSTANCE);
  void (async () => {
    const app = await bootStrapi({ database, env });
    process.stdout.write(`MOAT_URL=${app.url}\n`);
    process.stdin.on('end', () => {
      void app.strapi.destroy().finally(() => process.exit(0));
    });
    process.stdin.resume();
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
