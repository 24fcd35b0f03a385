import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTemplate, deliveryEnv, messages, waitForStatus } from '../helpers/email-delivery';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

/** The quick start's delivery: no Redis (MOAT_QUEUE=local), workers in the web process. */
describe('email delivery without Redis (the embedded default)', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    const env = deliveryEnv(sink.port, 'unused', { MOAT_QUEUE: 'local', REDIS_URL: 'redis://127.0.0.1:1' });
    app = await bootStrapi({ env });
  });
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
  });

  it('sends transactional and bulk mail once each, straight from the message log', async () => {
    const template = await createTestTemplate(app.strapi);
    const run = Date.now().toString(36);
    const bulk = await messages(app.strapi).enqueueMany(
      Array.from({ length: 120 }, (_, i) => ({ idempotencyKey: `local-${run}-${i}`, lane: 'bulk', kind: 'marketing', to: `l${i}-${run}@example.com`, templateKey: template, data: { name: `L${i}` } })),
    );
    const shipping = await messages(app.strapi).enqueue({ idempotencyKey: `ship-${run}`, lane: 'transactional', kind: 'transactional', to: `ship-${run}@example.com`, templateKey: template, data: { name: 'S' } });
    await waitForStatus(app.strapi, shipping.id, ['sent']);
    for (const r of bulk) await waitForStatus(app.strapi, r.id, ['sent'], 60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.messages).toHaveLength(121);
    expect(new Set(sink.messages.map((m) => m.envelope.to[0])).size).toBe(121);
  });
});
