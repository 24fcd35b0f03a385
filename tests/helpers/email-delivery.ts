/**
 * Fixtures for email delivery tests: a template of the test's own, polling the message log,
 * and the environment that points a Moat instance at a test SMTP sink and BullMQ prefix.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { REDIS_URL } from './redis';

export const TEMPLATE_UID = 'plugin::lifecycle-email.email-template';

export const TEST_MJML =
  '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}, see <a href="https://shop.example.com/p?a=1&b=2">our shop</a>.' +
  ' <a href="{{links.unsubscribe}}">Unsubscribe</a></mj-text></mj-column></mj-section></mj-body></mjml>';

/** Creates a template of this test's own; returns its name (the template key). */
export async function createTestTemplate(strapi: Core.Strapi, subject = 'Hello {{name}}', mjml = TEST_MJML): Promise<string> {
  const name = `t-${randomUUID().slice(0, 8)}`;
  await strapi.documents(TEMPLATE_UID as never).create({ data: { name, kind: 'custom', subject, mjml }, locale: 'en' } as never);
  return name;
}

export function deliveryEnv(smtpPort: number, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MOAT_QUEUE: 'bullmq',
    REDIS_URL,
    MOAT_QUEUE_PREFIX: prefix,
    MOAT_EMAIL_TRANSPORT: 'smtp',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    MOAT_PUBLIC_URL: 'http://moat.test',
    MOAT_EMAIL_TOKEN_SECRET: 'test-link-secret-0123456789abcdef',
    ...extra,
  };
}

export const messages = (strapi: Core.Strapi) => strapi.plugin('lifecycle-email').service('messages') as {
  enqueue(input: Record<string, unknown>): Promise<{ id: number; created: boolean }>;
  enqueueMany(inputs: Array<Record<string, unknown>>): Promise<Array<{ id: number; created: boolean }>>;
  get(id: number): Promise<{ id: number; status: string; reason: string | null; attempts: number; providerMessageId: string | null } | null>;
  counts(filter?: { campaignId?: string }): Promise<Record<string, number>>;
};

/** Waits until the message reaches one of `statuses`; returns the row. */
export async function waitForStatus(strapi: Core.Strapi, id: number, statuses: string[], timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await messages(strapi).get(id);
    if (row && statuses.includes(row.status)) return row;
    if (Date.now() > deadline) throw new Error(`message ${id}: expected ${statuses.join('|')}, still ${row?.status} (${row?.reason ?? ''})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deletes every key under a BullMQ prefix: FLUSHALL for this test only (Redis is shared). */
export async function flushPrefix(prefix: string): Promise<number> {
  const { default: IORedis } = await import('ioredis');
  const redis = new IORedis(REDIS_URL);
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  await redis.quit();
  return deleted;
}

/** rows of the template gallery on a fresh install: the five default kinds and the six templates the prebuilt flows add */
export const GALLERY_ROWS = 11;
