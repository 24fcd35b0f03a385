import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTemplate, deliveryEnv, flushPrefix, messages } from '../helpers/email-delivery';
import { uniqueQueuePrefix } from '../helpers/redis';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { APP_DIR, type BootedStrapi, bootStrapi } from '../helpers/strapi';

const RECIPIENTS = 10_000;

/** `npm run worker` (scripts/worker.mjs) as a child process on this test's database and queue. */
async function startWorker(env: Record<string, string>): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, [join(APP_DIR, 'scripts', 'worker.mjs')], { cwd: APP_DIR, env: { ...process.env, ...env, MOAT_WORKERS: '1' } });
  let err = '';
  child.stderr.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  // MOAT_TEST_WORKER_LOG=1 shows what the worker logs
  if (process.env.MOAT_TEST_WORKER_LOG === '1') {
    child.stdout.on('data', (c: Buffer) => process.stderr.write(`[worker] ${c}`));
    child.stderr.on('data', (c: Buffer) => process.stderr.write(`[worker] ${c}`));
  }
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('MOAT_WORKER_READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready: ${err}`)));
  });
  return child;
}

describe('email delivery survives kill -9 of the worker and a Redis flush', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  let env: Record<string, string>;
  let prefix: string;
  const children: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    sink = await startSmtpSink();
    prefix = uniqueQueuePrefix();
    // short lease and reconcile interval so the restart picks up the dead worker's rows within seconds
    env = deliveryEnv(sink.port, prefix, { MOAT_EMAIL_BULK_CONNECTIONS: '20', MOAT_EMAIL_LEASE_MS: '4000', MOAT_EMAIL_RECONCILE_MS: '1000', MOAT_EMAIL_STALE_MS: '2000' });
    // this instance only enqueues (a web instance); the worker process sends
    app = await bootStrapi({ env: { ...env, MOAT_WORKERS: '0' } });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await app?.destroy();
    await sink?.close();
    await flushPrefix(prefix);
  });

  it('every recipient of a 10,000-message campaign gets exactly one message (duplicates counted, none lost)', async () => {
    const template = await createTestTemplate(app.strapi);
    const campaign = `crash-${Date.now().toString(36)}`;
    const inputs = Array.from({ length: RECIPIENTS }, (_, i) => ({ idempotencyKey: `${campaign}:${i}`, lane: 'bulk', kind: 'marketing', to: `r${i}@crash.example.com`, templateKey: template, data: { name: `R${i}` }, campaignId: campaign }));
    await messages(app.strapi).enqueueMany(inputs);

    const first = await startWorker(env);
    children.push(first);
    const started = Date.now();
    await sink.waitFor(1_000, 180_000);
    console.log(`crash test: 1,000 delivered ${Date.now() - started} ms after the worker started`);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = sink.messages.length;
    // rows the dead worker held: the only ones that can have left without being marked sent
    const inFlight = Number((await app.strapi.db.connection('moat_messages').where({ campaign_id: campaign, status: 'sending' }).count({ n: '*' }))[0].n);
    const flushed = await flushPrefix(prefix);
    expect(flushed).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(RECIPIENTS);

    children.push(await startWorker(env));
    const deadline = Date.now() + 600_000;
    const unique = () => new Set(sink.messages.map((m) => m.envelope.to[0])).size;
    while (unique() < RECIPIENTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    // anything still to arrive (a duplicate) has had time to
    await new Promise((r) => setTimeout(r, 2_000));
    const counts = await messages(app.strapi).counts({ campaignId: campaign });
    const duplicates = sink.messages.length - unique();
    console.log(`crash test: ${atKill} delivered at the kill, ${inFlight} rows in flight, ${flushed} Redis keys flushed; after restart ${unique()} recipients, ${duplicates} duplicate(s); log ${JSON.stringify(counts)}`);
    expect(unique()).toBe(RECIPIENTS);
    expect(counts).toEqual({ sent: RECIPIENTS });
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    // tighter: only sends on the wire can repeat (4 bulk jobs × 10 sends each, the defaults)
    expect(duplicates).toBeLessThanOrEqual(40);
  }, 900_000);
});
