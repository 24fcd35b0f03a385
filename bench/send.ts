/**
 * bench:send — a 100,000-recipient campaign (BENCH_QUICK=1: 5,000) through Moat's delivery
 * (message log + BullMQ + workers in this process) to a local SMTP server, against raw
 * nodemailer pooled sending of the same rendered messages to the same server in the same run.
 * Prints enqueue time and delivered messages/s; ratio = Moat msgs/s ÷ raw msgs/s.
 * Invariants: every recipient got exactly one message; enqueue < 10 s; ratio ≥ 0.5.
 */
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createTestTemplate, deliveryEnv, flushPrefix, messages } from '../tests/helpers/email-delivery';
import { uniqueQueuePrefix } from '../tests/helpers/redis';
import { bootStrapi } from '../tests/helpers/strapi';
import { runBench } from './lib/harness';

// each connection waits on TCP round trips (delayed ACKs) per message: throughput scales with connections
const CONNECTIONS = 20;

/** An SMTP server that only counts recipients (parsing would make the sink the bottleneck). */
async function countingSink() {
  const perRecipient = new Map<string, number>();
  let total = 0;
  let onCount: (() => void) | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 200,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) perRecipient.set(r.address, (perRecipient.get(r.address) ?? 0) + 1);
        total += 1;
        onCount?.();
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    perRecipient,
    get total() {
      return total;
    },
    reset() {
      perRecipient.clear();
      total = 0;
    },
    waitFor(n: number, timeoutMs: number) {
      return new Promise<void>((resolve, reject) => {
        if (total >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`sink: ${total} of ${n} after ${timeoutMs} ms`)), timeoutMs);
        onCount = () => {
          if (total >= n) {
            clearTimeout(timer);
            onCount = undefined;
            resolve();
          }
        };
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

runBench('send', async (ctx) => {
  const n = ctx.quick ? 5_000 : 100_000;
  const sink = await countingSink();
  const prefix = uniqueQueuePrefix();
  const app = await bootStrapi({ env: deliveryEnv(sink.port, prefix, { LOG_LEVEL: 'error', MOAT_EMAIL_BULK_CONNECTIONS: String(CONNECTIONS) }) });
  try {
    const template = await createTestTemplate(app.strapi);
    const recipients = Array.from({ length: n }, (_, i) => `r${i}@bench.example.com`);

    // baseline: the same rendered message per recipient, straight through a nodemailer pool
    const sample = await app.strapi.plugin('lifecycle-email').service('templates').resolve(template, 'en');
    const prepared = await app.strapi.plugin('lifecycle-email').service('templates').engine.prepare(sample);
    const raw = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: sink.port, secure: false, maxConnections: CONNECTIONS });
    const rawStart = performance.now();
    await Promise.all(
      recipients.map((to, i) => {
        const m = prepared.render({ name: `R${i}`, links: { unsubscribe: 'http://moat.test/u', preferences: 'http://moat.test/p', viewInBrowser: 'http://moat.test/v' } });
        return raw.sendMail({ from: 'Moat <hello@moat.local>', to, subject: m.subject, html: m.html, text: m.text, headers: { 'List-Unsubscribe': '<http://moat.test/u>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } });
      }),
    );
    const rawMs = performance.now() - rawStart;
    raw.close();
    ctx.check(sink.total === n, `baseline delivered ${sink.total} of ${n}`);
    const rawRate = n / (rawMs / 1000);
    ctx.log(`raw nodemailer pool: ${n} in ${Math.round(rawMs)} ms (${Math.round(rawRate)} msgs/s)`);
    sink.reset();

    const campaign = `bench-${Date.now().toString(36)}`;
    const start = performance.now();
    await messages(app.strapi).enqueueMany(recipients.map((to, i) => ({ idempotencyKey: `${campaign}:${i}`, lane: 'bulk', kind: 'marketing', to, templateKey: template, data: { name: `R${i}` }, campaignId: campaign })));
    const enqueueMs = performance.now() - start;
    ctx.log(`enqueued ${n} in ${Math.round(enqueueMs)} ms`);
    await sink.waitFor(n, ctx.quick ? 120_000 : 1_800_000);
    const moatMs = performance.now() - start;
    const moatRate = n / (moatMs / 1000);
    ctx.log(`Moat: ${n} delivered ${Math.round(moatMs)} ms after the enqueue began (${Math.round(moatRate)} msgs/s)`);
    const duplicates = [...sink.perRecipient.values()].filter((c) => c > 1).length;
    ctx.check(sink.perRecipient.size === n && duplicates === 0, `Moat delivered to ${sink.perRecipient.size} of ${n} recipients, ${duplicates} twice`);
    ctx.check(enqueueMs < 10_000, `enqueue took ${Math.round(enqueueMs)} ms (limit 10 s)`);
    ctx.check(moatRate / rawRate >= 0.5, `ratio ${(moatRate / rawRate).toFixed(2)} < 0.5`);
    return { value: moatRate, baseline: rawRate, unit: 'msgs/s', extra: { recipients: n, enqueueMs: Math.round(enqueueMs), moatMs: Math.round(moatMs), rawMs: Math.round(rawMs), connections: CONNECTIONS, database: app.database.client } };
  } finally {
    await app.destroy();
    await sink.close();
    await flushPrefix(prefix);
  }
});
