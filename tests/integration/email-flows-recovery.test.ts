/**
 * Flow triggers and waits survive losing Redis: a touchpoint is stored while only a web
 * instance runs (its trigger job waits in Redis), Redis loses the job, the worker instance
 * starts and its catch-up reads the touchpoint store: the flow's first mail goes out once.
 * While the enrollment waits, Redis is emptied again: the wait lives in the database, the
 * second mail goes out once too, and reading the store again enrolls nobody twice.
 */
import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createTestTemplate, deliveryEnv, flushPrefix } from '../helpers/email-delivery';
import { REDIS_URL, uniqueQueuePrefix } from '../helpers/redis';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { until } from '../helpers/until';

const uid = () => randomUUID().slice(0, 8);
const DAY = 86_400_000;

type FlowsService = {
  clock: { set(at: number | null): void; advance(ms: number): void };
  create(input: Record<string, unknown>): Promise<{ id: number }>;
  catchUp(lagMs?: number): Promise<number>;
  tick(): Promise<number>;
  idle(): Promise<void>;
};
const flowsOf = (app: BootedStrapi) => app.strapi.plugin('lifecycle-email').service('flows') as FlowsService;

describe('flow triggers and waits recover from the database when Redis loses their jobs', () => {
  let sink: SmtpSink;
  let db: TestDatabase;
  let web: BootedStrapi | undefined;
  let worker: BootedStrapi | undefined;
  const prefix = uniqueQueuePrefix();
  const env = () => deliveryEnv(sink.port, prefix, { MOAT_FLOW_TICK_MS: '200', MOAT_FLOW_CATCHUP_LAG_MS: '0' });

  beforeAll(async () => {
    sink = await startSmtpSink();
    db = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    if (worker) flowsOf(worker).clock.set(null);
    await web?.destroy();
    await worker?.destroy();
    await sink?.close();
    await flushPrefix(prefix);
    await db?.drop();
  });

  it('a stored touchpoint whose trigger job was flushed starts its flow once after a restart; a wait flushed from Redis still sends once', async () => {
    // the web instance: stores touchpoints and queues trigger jobs, runs no workers
    web = await bootStrapi({ env: { ...env(), MOAT_WORKERS: '0' }, database: db });
    const template = await createTestTemplate(web.strapi, 'Thanks for your order', '<mjml><mj-body><mj-section><mj-column><mj-text>Thanks</mj-text></mj-column></mj-section></mj-body></mjml>');
    const flow = await flowsOf(web).create({
      key: `recover-${uid()}`,
      name: 'Recover',
      enabled: true,
      definition: { trigger: { on: 'event', events: ['order'] }, steps: [{ type: 'send', template, kind: 'transactional' }, { type: 'wait', days: 1 }, { type: 'send', template, kind: 'transactional' }], reentry: { mode: 'always' } },
    });
    const email = `recover-${uid()}@buyer.example`;
    const { documentId: customerId } = await web.strapi.plugin('crm').service('customers').identify({ email, name: 'Ada' });
    await web.strapi.plugin('tracking').service('touchpoints').record({ type: 'order_placed', channel: 'shopify', customerId, occurredAt: Date.now(), properties: { total: '10.00' }, dedupeKey: `order:${uid()}` });

    // its trigger job is in Redis … and then Redis loses everything of this app
    const redis = new IORedis(REDIS_URL);
    await until('the trigger job in Redis', async () => (await redis.scan('0', 'MATCH', `${prefix}:moat-flow-events:*`, 'COUNT', 1000))[1].length > 0);
    await redis.quit();
    expect(await flushPrefix(prefix)).toBeGreaterThan(0);
    await web.destroy();
    web = undefined;

    // the worker instance starts on the same database: its first pass reads the store
    worker = await bootStrapi({ env: { ...env(), MOAT_WORKERS: '1' }, database: db });
    const knex = worker.strapi.db.connection;
    const state = async () => JSON.stringify({ cursor: await knex('moat_flow_cursor'), enrollments: await knex('moat_flow_enrollments'), messages: await knex('moat_messages').select('id', 'status', 'reason'), tps: await knex('moat_touchpoints').select('id', 'type', 'customer_id', 'received_at') });
    await until('the first mail', () => sink.messages.filter((m) => m.envelope.to.includes(email)).length === 1).catch(async (e) => {
      throw new Error(`${e.message}: ${await state()}`);
    });
    const [enrollment] = await knex('moat_flow_enrollments').where({ flow_id: flow.id, customer_id: customerId });
    expect(enrollment).toMatchObject({ state: 'active', step: 2 });

    // the enrollment waits a day; Redis is emptied meanwhile
    await flushPrefix(prefix);
    const flows = flowsOf(worker);
    flows.clock.set(Date.now() + DAY + 60_000);
    await flows.tick();
    await until('the second mail', () => sink.messages.filter((m) => m.envelope.to.includes(email)).length === 2);
    // reading the whole store again, and more passes, enroll nobody twice (re-entry is allowed: the trigger's key is what stops it)
    await knex('moat_flow_cursor').where({ name: 'touchpoints' }).update({ last_id: 0 });
    await flows.catchUp(0);
    await flows.tick();
    await flows.idle();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sink.messages.filter((m) => m.envelope.to.includes(email))).toHaveLength(2);
    const rows = await knex('moat_flow_enrollments').where({ flow_id: flow.id, customer_id: customerId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'completed', reason: 'done' });
    const sent = await knex('moat_messages').where({ customer_id: customerId }).whereNotNull('flow_id');
    expect(sent.map((m: { status: string }) => m.status)).toEqual(['sent', 'sent']);
  }, 120_000);
});
