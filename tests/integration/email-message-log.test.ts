/**
 * Issue 14 §7: the admin's message log — search every intended send by address, template or
 * campaign key and status; a failed message shows its reason and can be retried (real SMTP
 * server, real Redis/BullMQ). Each route as an anonymous caller, a role without the action
 * and one with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminJwt, createAdminInRole, createAdminWithRole, createRoleWithActions, createSuperAdmin } from '../helpers/admin';
import { createTestTemplate, deliveryEnv, messages, waitForStatus } from '../helpers/email-delivery';
import { uniqueQueuePrefix } from '../helpers/redis';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const uid = () => Math.random().toString(36).slice(2, 10);
const READ = 'plugin::lifecycle-email.messages.read';

describe('message log: search, reasons and retry', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  let template: string;
  let superToken: string;
  let readerToken: string;
  let editorToken: string;
  /** addresses the SMTP server refuses for now (a full mailbox: 452, transient) */
  const refusing = new Set<string>();

  beforeAll(async () => {
    sink = await startSmtpSink({ reject: (address) => (refusing.has(address) ? { code: 452, message: '4.2.2 Mailbox full' } : null) });
    app = await bootStrapi({ env: deliveryEnv(sink.port, uniqueQueuePrefix(), { MOAT_EMAIL_MAX_ATTEMPTS: '2', MOAT_EMAIL_RETRY_BASE_MS: '100' }) });
    template = await createTestTemplate(app.strapi);
    superToken = await adminJwt(app.request, await createSuperAdmin(app.strapi));
    readerToken = await adminJwt(app.request, await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'message log reader', [READ]), 'reader'));
    editorToken = await adminJwt(app.request, await createAdminWithRole(app.strapi, 'strapi-editor'));
  });
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
  });

  const search = (token: string, query: Record<string, string>) => app.request.get('/lifecycle-email/messages').query(query).set('Authorization', `Bearer ${token}`);
  const retry = (token: string, id: number | string) => app.request.post(`/lifecycle-email/messages/${id}/retry`).set('Authorization', `Bearer ${token}`);
  const send = (to: string, key = `log-${uid()}`) => messages(app.strapi).enqueue({ idempotencyKey: key, lane: 'transactional', kind: 'transactional', to, templateKey: template, data: { name: 'Ada' } });

  it('finds a failed message with its reason; a retry after the cause is gone delivers it once', async () => {
    const to = `full-${uid()}@example.com`;
    refusing.add(to);
    const { id } = await send(to);
    const failed = await waitForStatus(app.strapi, id, ['failed'], 30_000);
    expect(failed.reason).toMatch(/gave up after 2 attempts.*452/);

    const found = await search(superToken, { q: to.toUpperCase(), status: 'failed' }).expect(200);
    expect(found.body.messages).toHaveLength(1);
    expect(found.body.messages[0]).toMatchObject({ id, status: 'failed', recipient: to, templateKey: template, attempts: 2 });
    expect(found.body.messages[0].reason).toContain('Mailbox full');
    // the log shows no template data (it can hold personal details)
    expect(found.body.messages[0]).not.toHaveProperty('data');
    expect((await search(superToken, { q: to, status: 'sent' }).expect(200)).body.messages).toHaveLength(0);

    refusing.delete(to);
    const retried = await retry(superToken, id).expect(200);
    expect(['pending', 'queued', 'sending', 'sent']).toContain(retried.body.message.status);
    await waitForStatus(app.strapi, id, ['sent']);
    expect(sink.messages.filter((m) => m.envelope.to.includes(to))).toHaveLength(1);
    // sent: a second retry would send it twice
    const again = await retry(superToken, id).expect(409);
    expect(again.body.error.message).toMatch(/is sent: only failed/);
  }, 90_000);

  it('searches by template, campaign key and text with wildcards taken literally; pages newest first', async () => {
    const tag = uid();
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push((await send(`page${i}-${tag}@example.com`, `campaign:${tag}:${i}`)).id);
    const byKey = await search(superToken, { q: `campaign:${tag}`, limit: '2' }).expect(200);
    expect(byKey.body.messages.map((m: { id: number }) => m.id)).toEqual([sent[2], sent[1]]);
    const rest = await search(superToken, { q: `campaign:${tag}`, limit: '2', before: String(byKey.body.next) }).expect(200);
    expect(rest.body.messages.map((m: { id: number }) => m.id)).toEqual([sent[0]]);
    expect(rest.body.next).toBeNull();
    // "%" and "_" are characters to find, not patterns: "page_-tag" matches nothing
    expect((await search(superToken, { q: `page_-${tag}` }).expect(200)).body.messages).toHaveLength(0);
    expect((await search(superToken, { q: `%${tag}` }).expect(200)).body.messages).toHaveLength(0);
    expect((await search(superToken, { q: template }).expect(200)).body.messages.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses bad filters with the reason, unknown messages with 404', async () => {
    expect((await search(superToken, { status: 'lost' }).expect(400)).body.error.message).toMatch(/status/);
    expect((await search(superToken, { limit: '5000' }).expect(400)).body.error.message).toMatch(/limit/);
    expect((await search(superToken, { q: 'x'.repeat(201) }).expect(400)).body.error.message).toMatch(/q: at most 200/);
    expect((await search(superToken, { order: 'id' }).expect(400)).body.error.message).toMatch(/order/);
    await retry(superToken, 'abc').expect(400);
    await retry(superToken, 987_654_321).expect(404);
  });

  it('each route checks its own permission: anonymous 401, a role without it 403', async () => {
    const { id } = await send(`perm-${uid()}@example.com`);
    await app.request.get('/lifecycle-email/messages').expect(401);
    await app.request.post(`/lifecycle-email/messages/${id}/retry`).expect(401);
    await search(editorToken, {}).expect(403);
    await retry(editorToken, id).expect(403);
    // reading the log does not allow a retry
    await search(readerToken, {}).expect(200);
    await retry(readerToken, id).expect(403);
  });
});
