import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTemplate, deliveryEnv, messages, waitForStatus } from '../helpers/email-delivery';
import { uniqueQueuePrefix } from '../helpers/redis';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const uid = () => Math.random().toString(36).slice(2, 10);
const linkPath = (url: string) => new URL(url).pathname + new URL(url).search;
/** a header as it was on the wire (mailparser folds list headers into objects) */
const rawHeader = (raw: string, name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(raw.split(/\r?\n\r?\n/)[0])?.[1].replace(/\r?\n[ \t]+/g, ' ');
/** touchpoints of one message (properties: JSON text on SQLite, jsonb on PostgreSQL) */
const touchpointsOf = async (app: BootedStrapi, type: string, messageId: number) =>
  ((await app.strapi.db.connection('moat_touchpoints').where({ type })) as Array<{ properties: unknown }>)
    .map((t) => (typeof t.properties === 'string' ? JSON.parse(t.properties) : t.properties) as Record<string, unknown>)
    .filter((p) => Number(p.message_id) === messageId);
const unsubscribeLink = (raw: string) => linkPath(String(rawHeader(raw, 'List-Unsubscribe')).replace(/\s+/g, '').replace(/^<|>$/g, ''));

describe('email delivery: message log, lanes, retries, suppression, signed links', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  let template: string;
  const refusals = new Map<string, Array<{ code: number; message: string } | null>>();

  beforeAll(async () => {
    sink = await startSmtpSink({ reject: (address, attempt) => refusals.get(address)?.[attempt - 1] ?? null });
    // 400/s per lane: a 1,000-message campaign takes seconds, long enough to be overtaken
    app = await bootStrapi({ env: deliveryEnv(sink.port, uniqueQueuePrefix(), { MOAT_EMAIL_RATE_PER_S: '400', MOAT_EMAIL_RETRY_BASE_MS: '300' }) });
    template = await createTestTemplate(app.strapi);
  });
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
  });

  const received = (to: string) => sink.messages.filter((m) => m.envelope.to.includes(to));
  const send = (to: string, more: Record<string, unknown> = {}) =>
    messages(app.strapi).enqueue({ idempotencyKey: `k-${uid()}`, lane: 'transactional', kind: 'transactional', to, templateKey: template, data: { name: 'Ada' }, ...more });

  it('a transactional send overtakes a large bulk campaign already queued', async () => {
    const campaign = uid();
    const bulk = Array.from({ length: 1000 }, (_, i) => ({ idempotencyKey: `c-${campaign}-${i}`, lane: 'bulk', kind: 'marketing', to: `bulk-${campaign}-${i}@example.com`, templateKey: template, data: { name: `B${i}` }, campaignId: campaign }));
    const results = await messages(app.strapi).enqueueMany(bulk);
    expect(results.filter((r) => r.created)).toHaveLength(1000);
    const to = `ship-${uid()}@example.com`;
    const shipping = await send(to);
    await waitForStatus(app.strapi, shipping.id, ['sent']);
    const position = sink.messages.findIndex((m) => m.envelope.to.includes(to));
    const bulkBefore = sink.messages.slice(0, position).filter((m) => m.envelope.to[0].startsWith(`bulk-${campaign}`)).length;
    // it did not wait for the campaign: most of the campaign left after it
    expect(bulkBefore).toBeLessThan(500);
    const campaignMail = () => sink.messages.filter((m) => m.envelope.to[0].startsWith(`bulk-${campaign}`));
    const deadline = Date.now() + 90_000;
    while (campaignMail().length < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(new Set(campaignMail().map((m) => m.envelope.to[0])).size).toBe(1000);
    expect(campaignMail()).toHaveLength(1000);
  }, 180_000);

  it('the same idempotency key twice is one message', async () => {
    const to = `idem-${uid()}@example.com`;
    const key = `welcome-${uid()}`;
    const first = await messages(app.strapi).enqueue({ idempotencyKey: key, lane: 'transactional', kind: 'transactional', to, templateKey: template, data: { name: 'A' } });
    const second = await messages(app.strapi).enqueue({ idempotencyKey: key, lane: 'transactional', kind: 'transactional', to, templateKey: template, data: { name: 'A' } });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    await waitForStatus(app.strapi, first.id, ['sent']);
    await new Promise((r) => setTimeout(r, 500));
    expect(received(to)).toHaveLength(1);
  });

  it('a transient SMTP failure (451) is retried with backoff, then sent', async () => {
    const to = `retry-${uid()}@example.com`;
    refusals.set(to, [{ code: 451, message: 'try again later' }, { code: 421, message: 'busy' }]);
    const { id } = await send(to);
    const row = await waitForStatus(app.strapi, id, ['sent', 'failed']);
    expect(row.status).toBe('sent');
    expect(row.attempts).toBe(3);
    expect(received(to)).toHaveLength(1);
  });

  it('a permanent failure (550) fails the message, suppresses the address, and later marketing is skipped with the reason', async () => {
    const to = `gone-${uid()}@example.com`;
    refusals.set(to, [{ code: 550, message: 'no such user' }]);
    const { id } = await send(to);
    const row = await waitForStatus(app.strapi, id, ['sent', 'failed']);
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.reason).toMatch(/no such user/);
    const later = await send(to, { lane: 'bulk', kind: 'marketing' });
    const skipped = await waitForStatus(app.strapi, later.id, ['skipped', 'sent', 'failed']);
    expect(skipped.status).toBe('skipped');
    expect(skipped.reason).toMatch(/bounced/);
    expect(received(to)).toHaveLength(0);
    expect(await touchpointsOf(app, 'email_bounced', id)).toHaveLength(1);
  });

  it('one-click unsubscribe (RFC 8058) stops marketing mail but not transactional mail', async () => {
    const to = `unsub-${uid()}@example.com`;
    const { id } = await send(to, { lane: 'bulk', kind: 'marketing', locale: 'de' });
    await waitForStatus(app.strapi, id, ['sent']);
    const [mail] = await waitForMail(to);
    expect(rawHeader(mail.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = unsubscribeLink(mail.raw);
    const page = await app.request.get(unsubscribeUrl).expect(200);
    expect(page.text).toContain('Von Neuigkeiten und Angeboten abmelden');
    await app.request.post(unsubscribeUrl).type('form').send('List-Unsubscribe=One-Click').expect(200);

    const marketing = await send(to, { lane: 'bulk', kind: 'marketing' });
    const transactional = await send(to);
    expect((await waitForStatus(app.strapi, marketing.id, ['skipped', 'sent'])).reason).toMatch(/unsubscribed/);
    expect((await waitForStatus(app.strapi, transactional.id, ['sent', 'skipped'])).status).toBe('sent');
    expect(received(to)).toHaveLength(2);
    expect(await touchpointsOf(app, 'unsubscribed', id)).toHaveLength(1);
  });

  it('unsubscribing records the choice on the CRM customer; marketing to a customer without consent is skipped with the reason', async () => {
    const to = `crm-${uid()}@example.com`;
    const { documentId } = await app.strapi.plugin('crm').service('customers').identify({ email: to });
    const { id } = await send(to, { lane: 'bulk', kind: 'marketing', customerId: documentId });
    await waitForStatus(app.strapi, id, ['sent']);
    const [mail] = await waitForMail(to);
    await app.request.post(unsubscribeLink(mail.raw)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    const customer = (await app.strapi.documents('plugin::crm.customer' as never).findOne({ documentId } as never)) as { emailConsent?: string; emailConsentAt?: string };
    expect(customer.emailConsent).toBe('unsubscribed');
    expect(customer.emailConsentAt).toBeTruthy();

    // consent withheld in the CRM, address never unsubscribed here: still no marketing
    const other = `noconsent-${uid()}@example.com`;
    const created = (await app.strapi.documents('plugin::crm.customer' as never).create({ data: { email: other, emailConsent: 'unsubscribed' } } as never)) as { documentId: string };
    const marketing = await send(other, { lane: 'bulk', kind: 'marketing', customerId: created.documentId });
    const row = await waitForStatus(app.strapi, marketing.id, ['skipped', 'sent']);
    expect(row.status).toBe('skipped');
    expect(row.reason).toMatch(/no_consent/);
  });

  it('the preferences page speaks the recipient language and can subscribe again', async () => {
    const to = `pref-${uid()}@example.com`;
    const { id } = await send(to, { lane: 'bulk', kind: 'marketing', locale: 'zh-Hans' });
    await waitForStatus(app.strapi, id, ['sent']);
    const [mail] = await waitForMail(to);
    const url = unsubscribeLink(mail.raw);
    expect((await app.request.post(url).type('form').send({ choice: 'unsubscribe' }).expect(200)).text).toContain('已退订');
    expect((await app.request.post(url).type('form').send({ choice: 'resubscribe' }).expect(200)).text).toContain('正在接收');
    const again = await send(to, { lane: 'bulk', kind: 'marketing' });
    expect((await waitForStatus(app.strapi, again.id, ['sent', 'skipped'])).status).toBe('sent');
  });

  it('forged or expired tokens get a 4xx page; clicks redirect only to URLs signed into the sent message', async () => {
    const to = `links-${uid()}@example.com`;
    const { id } = await send(to, { lane: 'bulk', kind: 'marketing' });
    await waitForStatus(app.strapi, id, ['sent']);
    const [mail] = await waitForMail(to);
    const html = String(mail.parsed.html);
    const click = /href="(http:\/\/moat\.test\/api\/lifecycle-email\/c\/[^"]+)"/.exec(html)?.[1];
    expect(click).toBeDefined();
    const redirect = await app.request.get(linkPath(click as string)).expect(302);
    expect(redirect.headers.location).toBe('https://shop.example.com/p?a=1&b=2');

    // forged: the payload changed to another destination, the signature kept
    const token = (click as string).split('/c/')[1];
    const [body, mac] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const evil = Buffer.from(JSON.stringify({ ...payload, l: 'https://evil.example.net/' })).toString('base64url');
    const forged = await app.request.get(`/api/lifecycle-email/c/${evil}.${mac}`).expect(400);
    expect(forged.headers.location).toBeUndefined();
    expect(forged.text).toContain('not valid');
    await app.request.get('/api/lifecycle-email/c/garbage').expect(400);
    await app.request.post(`/api/lifecycle-email/u/${evil}.${mac}`).type('form').send('List-Unsubscribe=One-Click').expect(400);

    // expired: correctly signed, but its time is over
    const signer = app.strapi.plugin('lifecycle-email').service('delivery').tokens();
    const expired = signer.sign({ p: 'u', m: id, e: Math.floor(Date.now() / 1000) - 60 });
    expect((await app.request.get(`/api/lifecycle-email/u/${expired}`).expect(410)).text).toContain('expired');
    const expiredClick = signer.sign({ p: 'c', m: id, e: Math.floor(Date.now() / 1000) - 60, l: 'https://shop.example.com/' });
    expect((await app.request.get(`/api/lifecycle-email/c/${expiredClick}`).expect(410)).headers.location).toBeUndefined();
    // a token for another purpose does not open this door
    const open = /src="http:\/\/moat\.test(\/api\/lifecycle-email\/o\/[^"]+)"/.exec(html)?.[1] as string;
    await app.request.get(open.replace('/o/', '/c/')).expect(400);
  });

  it('opens from privacy proxies are recorded with proxy: true and do not count as opens', async () => {
    const to = `open-${uid()}@example.com`;
    const { id } = await send(to, { lane: 'bulk', kind: 'marketing' });
    await waitForStatus(app.strapi, id, ['sent']);
    const [mail] = await waitForMail(to);
    const open = /src="http:\/\/moat\.test(\/api\/lifecycle-email\/o\/[^"]+)"/.exec(String(mail.parsed.html))?.[1] as string;
    const proxied = await app.request.get(open).set('User-Agent', 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)').expect(200);
    expect(proxied.headers['content-type']).toBe('image/gif');
    const row = () => app.strapi.db.connection('moat_messages').where({ id }).first();
    expect((await row()).opened_at).toBeNull();
    await app.request.get(open).set('User-Agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)').expect(200);
    expect((await row()).opened_at).not.toBeNull();
    const opens = await touchpointsOf(app, 'email_opened', id);
    expect(opens.map((p) => p.proxy ?? false).sort()).toEqual([false, true]);
  });

  it('a subject variable carrying CR/LF cannot add a header', async () => {
    const to = `crlf-${uid()}@example.com`;
    const { id } = await send(to, { data: { name: 'Ada\r\nBcc: victim@example.net\r\nX-Injected: yes' } });
    await waitForStatus(app.strapi, id, ['sent']);
    const [mail] = await waitForMail(to);
    expect(mail.envelope.to).toEqual([to]);
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.parsed.headers.has('x-injected')).toBe(false);
    expect(mail.parsed.subject).not.toMatch(/[\r\n]/);
    expect(mail.parsed.subject).toContain('Ada');
  });

  it('refuses a bad enqueue with a message naming the field', async () => {
    const error = await messages(app.strapi).enqueue({ idempotencyKey: 'x', lane: 'slow', kind: 'marketing', to: 'not-an-email', templateKey: template }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/lane/);
    expect((error as Error).message).toMatch(/to/);
  });

  async function waitForMail(to: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (received(to).length === 0) {
      if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return received(to);
  }
});
