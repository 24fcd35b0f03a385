/**
 * Campaigns (issue 14 §4): a CRM segment × a template through the message log and BullMQ to a
 * real SMTP sink. Local-time sends land in each recipient's window; the frequency cap, missing
 * consent and suppression skip with the reason; pause holds, resume sends, cancel skips; the
 * template version follows the customer's language; the admin routes check their permissions.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminJwt, createAdminInRole, createRoleWithActions } from '../helpers/admin';
import { ensureLocale } from '../helpers/content';
import { CUSTOMER, testAdmin } from '../helpers/crm-engage';
import { createTestTemplate, deliveryEnv, flushPrefix, messages, TEMPLATE_UID } from '../helpers/email-delivery';
import { uniqueQueuePrefix } from '../helpers/redis';
import { CHROME_UA } from '../helpers/tracking';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const uid = () => randomUUID().slice(0, 8);
const ALL_DAY = { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] };

interface Member {
  email?: string;
  language?: string;
  timeZone?: string;
  emailConsent?: string;
}

describe('email campaigns', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  let jwt: string;
  const prefix = uniqueQueuePrefix();

  beforeAll(async () => {
    // bounce-… addresses are refused for good (the report's bounce)
    sink = await startSmtpSink({ reject: (address) => (address.startsWith('bounce-') ? { code: 550, message: '5.1.1 no such user' } : null) });
    app = await bootStrapi({ env: deliveryEnv(sink.port, prefix, { MOAT_EMAIL_FREQUENCY_CAP: '2', MOAT_EMAIL_FREQUENCY_DAYS: '7', MOAT_SHOP_TIMEZONE: 'Asia/Shanghai' }) });
    jwt = (await testAdmin(app)).jwt;
  }, 120_000);
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
    await flushPrefix(prefix);
  });

  const api = () => ({
    get: (path: string) => app.request.get(`/lifecycle-email${path}`).set('Authorization', `Bearer ${jwt}`),
    post: (path: string, body: object = {}) => app.request.post(`/lifecycle-email${path}`).set('Authorization', `Bearer ${jwt}`).send(body),
  });

  /** customers tagged with a tag of their own, and a segment of that tag; returns segment id and customer ids by email */
  async function segmentOf(members: Member[]) {
    const tag = `t-${uid()}`;
    const ids = new Map<string, string>();
    for (const [i, m] of members.entries()) {
      const email = m.email ?? `m${i}-${tag}@example.com`;
      const c = await app.strapi.documents(CUSTOMER as never).create({ data: { email, tags: [tag], language: m.language, timeZone: m.timeZone, emailConsent: m.emailConsent ?? 'subscribed' } } as never);
      ids.set(email, (c as { documentId: string }).documentId);
    }
    const segment = await app.strapi.plugin('crm').service('segments').create({ name: tag, rules: { op: 'and', rules: [{ field: 'tags', values: [tag] }] } });
    return { segmentId: segment.documentId as string, ids, tag };
  }

  async function createCampaign(body: Record<string, unknown>) {
    const res = await api().post('/campaigns', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.data as { id: string };
  }

  const rowsOf = async (campaignId: string) =>
    (await app.strapi.db.connection('moat_messages').where({ campaign_id: campaignId }).orderBy('id')) as Array<{ id: number; recipient: string; status: string; reason: string | null; send_at: string | number; locale: string; customer_id: string; idempotency_key: string }>;

  async function waitForCampaign(id: string, done: (c: { status: string; progress: Record<string, number> }) => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await api().get(`/campaigns/${id}`);
      if (done(res.body.data)) return res.body.data;
      if (Date.now() > deadline) throw new Error(`campaign ${id}: ${JSON.stringify(res.body.data)}`);
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  it('local-time sending: each recipient in three zones gets their message at the wall-clock time in their own zone, moved into the window', async () => {
    const template = await createTestTemplate(app.strapi);
    const { segmentId, ids } = await segmentOf([
      { email: `tokyo-${uid()}@example.com`, timeZone: 'Asia/Tokyo' },
      { email: `ny-${uid()}@example.com`, timeZone: 'America/New_York' },
      // no zone in the CRM: the tracker saw Berlin on their last visit (an older visit in Sydney)
      { email: `berlin-${uid()}@example.com` },
      // no zone known at all: the shop's (Asia/Shanghai)
      { email: `shop-${uid()}@example.com` },
    ]);
    const [, , berlin] = [...ids.values()];
    await app.strapi.db.connection('moat_visitors').insert([
      { visitor_id: `v-${uid()}`, customer_id: berlin, timezone: 'Australia/Sydney', last_seen_at: Date.parse('2029-01-01'), first_seen_at: Date.parse('2029-01-01') },
      { visitor_id: `v-${uid()}`, customer_id: berlin, timezone: 'Europe/Berlin', last_seen_at: Date.parse('2029-06-01'), first_seen_at: Date.parse('2029-06-01') },
    ]);
    // Monday 7 January 2030, 08:00 local: before the 09:00–18:00 window, so 09:00 local
    const monday = await createCampaign({ name: 'local Monday', segmentId, templateKey: template, schedule: { mode: 'local', localTime: '2030-01-07T08:00' }, window: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] } });
    const sent = await api().post(`/campaigns/${monday.id}/send`);
    expect(sent.status).toBe(200);
    await waitForCampaign(monday.id, (c) => (c.progress.queued ?? 0) === 4);
    const at = new Map((await rowsOf(monday.id)).map((r) => [r.recipient.split('-')[0], new Date(Number(r.send_at)).toISOString()]));
    expect(Object.fromEntries(at)).toEqual({
      tokyo: '2030-01-07T00:00:00.000Z',
      ny: '2030-01-07T14:00:00.000Z',
      berlin: '2030-01-07T08:00:00.000Z',
      shop: '2030-01-07T01:00:00.000Z',
    });
    // Saturday 5 January 2030, 10:00 local: not a sending day, so Monday 09:00 local
    const saturday = await createCampaign({ name: 'local Saturday', segmentId, templateKey: template, schedule: { mode: 'local', localTime: '2030-01-05T10:00' }, window: { start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] } });
    await api().post(`/campaigns/${saturday.id}/send`);
    const saturdayRows = await waitForCampaign(saturday.id, (c) => (c.progress.queued ?? 0) + (c.progress.skipped ?? 0) === 4);
    expect(saturdayRows.status).toBe('scheduled');
    const rows = await rowsOf(saturday.id);
    // the first campaign's messages count towards the cap (2 in 7 days) but are in the future: not yet 2
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued', 'queued', 'queued']);
    expect(new Map(rows.map((r) => [r.recipient.split('-')[0], new Date(Number(r.send_at)).toISOString()])).get('ny')).toBe('2030-01-07T14:00:00.000Z');
    for (const c of [monday, saturday]) expect((await api().post(`/campaigns/${c.id}/cancel`)).status).toBe(200);
  }, 60_000);

  it('sends now to the segment, picks the template version by the customer language with a fallback to the default locale', async () => {
    await ensureLocale(app.strapi, 'zh-Hans');
    const template = await createTestTemplate(app.strapi, 'Hello {{name}}');
    const [doc] = (await app.strapi.documents(TEMPLATE_UID as never).findMany({ filters: { name: template }, locale: 'en' } as never)) as Array<{ documentId: string }>;
    await app.strapi.documents(TEMPLATE_UID as never).update({ documentId: doc.documentId, locale: 'zh-Hans', data: { name: template, kind: 'custom', subject: '你好 {{name}}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>你好</mj-text></mj-column></mj-section></mj-body></mjml>' } } as never);
    const { segmentId } = await segmentOf([
      { email: `zh-${uid()}@example.com`, language: 'zh-Hans' },
      { email: `zhcn-${uid()}@example.com`, language: 'zh-CN' },
      { email: `de-${uid()}@example.com`, language: 'de' },
      { email: `none-${uid()}@example.com` },
    ]);
    const c = await createCampaign({ name: 'now', segmentId, templateKey: template, window: ALL_DAY });
    await api().post(`/campaigns/${c.id}/send`);
    const done = await waitForCampaign(c.id, (x) => x.status === 'done');
    expect(done.progress).toEqual({ sent: 4 });
    const locales = Object.fromEntries((await rowsOf(c.id)).map((r) => [r.recipient.split('-')[0], r.locale]));
    expect(locales).toEqual({ zh: 'zh-Hans', zhcn: 'zh-Hans', de: 'en', none: 'en' });
    const subjects = Object.fromEntries(sink.messages.filter((m) => (m.envelope.to[0] ?? '').endsWith('@example.com') && (m.parsed.subject ?? '') !== '').map((m) => [m.envelope.to[0].split('-')[0], m.parsed.subject?.split(' ')[0]]));
    expect(subjects).toMatchObject({ zh: '你好', zhcn: '你好', de: 'Hello', none: 'Hello' });
    const keys = (await rowsOf(c.id)).map((r) => r.idempotency_key);
    expect(keys.every((k) => k.startsWith(`campaign:${c.id}:`))).toBe(true);
  }, 60_000);

  it('the frequency cap, missing consent and suppression skip with the reason logged', async () => {
    const template = await createTestTemplate(app.strapi);
    const capped = `capped-${uid()}@example.com`;
    const { segmentId, ids } = await segmentOf([{ email: capped }, { email: `unsub-${uid()}@example.com`, emailConsent: 'unsubscribed' }, { email: `pending-${uid()}@example.com`, emailConsent: 'pending' }, { email: `ok-${uid()}@example.com` }]);
    // two marketing messages to the capped customer in the last days (another campaign, a flow)
    for (const k of ['a', 'b']) {
      await messages(app.strapi).enqueue({ idempotencyKey: `earlier-${k}-${uid()}`, lane: 'bulk', kind: 'marketing', to: capped, customerId: ids.get(capped), templateKey: template, data: { name: 'C' }, sendAt: Date.now() - 86_400_000 });
    }
    const c = await createCampaign({ name: 'capped', segmentId, templateKey: template, window: ALL_DAY });
    await api().post(`/campaigns/${c.id}/send`);
    await waitForCampaign(c.id, (x) => x.status === 'done');
    const reasons = Object.fromEntries((await rowsOf(c.id)).map((r) => [r.recipient.split('-')[0], [r.status, r.reason]]));
    expect(reasons.capped).toEqual(['skipped', expect.stringMatching(/^frequency_cap: 2 marketing messages in the last 7 days/)]);
    expect(reasons.unsub).toEqual(['skipped', expect.stringMatching(/^no_consent/)]);
    expect(reasons.pending).toEqual(['skipped', expect.stringMatching(/^no_consent/)]);
    expect(reasons.ok).toEqual(['sent', null]);
    const detail = (await api().get(`/campaigns/${c.id}`)).body.data;
    expect(detail.progress).toEqual({ sent: 1, skipped: 3 });
    expect(detail).toMatchObject({ recipients: 4, enqueued: 1, skipped: 3 });
  }, 60_000);

  it('pause holds the unsent messages, resume sends them, cancel skips the rest as cancelled', async () => {
    const template = await createTestTemplate(app.strapi);
    const { segmentId } = await segmentOf(Array.from({ length: 6 }, () => ({})));
    // a few seconds ahead: the jobs wait in BullMQ's delayed set while we pause
    const sendAt = new Date(Date.now() + 3_000).toISOString();
    const c = await createCampaign({ name: 'pause', segmentId, templateKey: template, schedule: { mode: 'at', sendAt } });
    await api().post(`/campaigns/${c.id}/send`);
    await waitForCampaign(c.id, (x) => (x.progress.queued ?? 0) === 6);
    const paused = await api().post(`/campaigns/${c.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.data).toMatchObject({ status: 'paused', progress: { paused: 6 } });
    // the jobs come due and pass the held rows by
    await new Promise((r) => setTimeout(r, 4_500));
    expect((await api().get(`/campaigns/${c.id}`)).body.data.progress).toEqual({ paused: 6 });
    expect((await api().post(`/campaigns/${c.id}/send`)).status).toBe(409);
    const resumed = await api().post(`/campaigns/${c.id}/resume`);
    expect(resumed.status).toBe(200);
    const done = await waitForCampaign(c.id, (x) => x.status === 'done');
    expect(done.progress, JSON.stringify((await rowsOf(c.id)).map((r) => r.reason))).toEqual({ sent: 6 });

    // cancel: a campaign far in the future, every row becomes skipped "cancelled"
    const later = await createCampaign({ name: 'cancel', segmentId, templateKey: template, schedule: { mode: 'at', sendAt: '2031-01-01T00:00:00Z' } });
    await api().post(`/campaigns/${later.id}/send`);
    await waitForCampaign(later.id, (x) => (x.progress.queued ?? 0) === 6);
    await api().post(`/campaigns/${later.id}/pause`);
    const cancelled = await api().post(`/campaigns/${later.id}/cancel`);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', progress: { skipped: 6 } });
    expect((await rowsOf(later.id)).every((r) => r.reason?.startsWith('cancelled'))).toBe(true);
    expect((await api().post(`/campaigns/${later.id}/resume`)).status).toBe(409);
  }, 60_000);

  it('a write loop a restart cut short continues after its cursor at the next boot', async () => {
    const template = await createTestTemplate(app.strapi);
    const { segmentId } = await segmentOf(Array.from({ length: 3 }, () => ({})));
    const c = await createCampaign({ name: 'interrupted', segmentId, templateKey: template, schedule: { mode: 'at', sendAt: '2031-01-01T00:00:00Z' } });
    // as a process killed right after "send" leaves it: sending, nothing written
    await app.strapi.db.connection('moat_campaigns').where({ id: c.id }).update({ status: 'scheduled', started_at: Date.now() });
    const service = app.strapi.plugin('lifecycle-email').service('campaigns');
    expect(await service.resumeInterrupted()).toBe(1);
    await service.idle();
    expect((await api().get(`/campaigns/${c.id}`)).body.data).toMatchObject({ recipients: 3, progress: { queued: 3 } });
    expect(await service.resumeInterrupted()).toBe(0);
    await api().post(`/campaigns/${c.id}/cancel`);
  });

  it('the report counts sent, delivered, real opens, clicks, unsubscribes, failures, skips by reason, and the revenue of orders within N days of a click', async () => {
    const template = await createTestTemplate(app.strapi);
    const tag = uid();
    const email = (who: string) => `${who}-${tag}@example.com`;
    const { segmentId, ids } = await segmentOf([
      { email: email('proxy') },
      { email: email('buyer') },
      { email: email('leaver') },
      { email: email('clicker') },
      { email: email('bounce') },
      { email: email('noconsent'), emailConsent: 'unsubscribed' },
      { email: email('late') },
    ]);
    const c = await createCampaign({ name: 'report', segmentId, templateKey: template, window: ALL_DAY });
    await api().post(`/campaigns/${c.id}/send`);
    await waitForCampaign(c.id, (x) => x.status === 'done');
    const rows = new Map((await rowsOf(c.id)).map((r) => [r.recipient.split('-')[0], r]));
    expect(Object.fromEntries([...rows].map(([k, r]) => [k, r.status]))).toEqual({ proxy: 'sent', buyer: 'sent', leaver: 'sent', clicker: 'sent', bounce: 'failed', noconsent: 'skipped', late: 'sent' });

    const html = async (who: string) => String(sink.messages.find((m) => m.envelope.to[0] === email(who))?.parsed.html);
    const path = (h: string, re: RegExp) => {
      const url = re.exec(h)?.[1];
      expect(url).toBeDefined();
      return new URL(url as string).pathname;
    };
    const pixel = (h: string) => path(h, /src="(http:\/\/moat\.test\/api\/lifecycle-email\/o\/[^"]+)"/);
    const click = (h: string) => path(h, /href="(http:\/\/moat\.test\/api\/lifecycle-email\/c\/[^"]+)"/);
    // proxy: only Apple's Mail Privacy Protection fetched the pixel (not an open)
    await app.request.get(pixel(await html('proxy'))).set('User-Agent', 'Mozilla/5.0').expect(200);
    // buyer: opens twice (one message), clicks, orders
    const buyer = await html('buyer');
    for (let i = 0; i < 2; i++) await app.request.get(pixel(buyer)).set('User-Agent', CHROME_UA).expect(200);
    await app.request.get(click(buyer)).expect(302);
    // leaver: opens and unsubscribes with one click
    const leaver = await html('leaver');
    await app.request.get(pixel(leaver)).set('User-Agent', CHROME_UA).expect(200);
    await app.request.post(path(leaver, /href="(http:\/\/moat\.test\/api\/lifecycle-email\/u\/[^"]+)"/)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    // clicker: images blocked, clicks (a click is an open too)
    await app.request.get(click(await html('clicker'))).expect(302);
    // late: delivered, then the receiving server reports a bounce (a later DSN)
    const touchpoints = app.strapi.plugin('tracking').service('touchpoints');
    await touchpoints.recordMany([{ type: 'email_bounced', channel: 'email', occurredAt: Date.now(), customerId: ids.get(email('late')), properties: { message_id: rows.get('late')?.id }, dedupeKey: `email_bounced:${rows.get('late')?.id}` }]);

    const clickedAt = async (who: string) => Number((await app.strapi.db.connection('moat_messages').where({ id: rows.get(who)?.id }).first()).clicked_at);
    const HOUR = 3_600_000;
    const order = (who: string, at: number, total: unknown) => ({ type: 'order_placed', channel: 'shopify', occurredAt: at, customerId: ids.get(email(who)), properties: { total, currency: 'EUR' }, dedupeKey: `report-order:${uid()}` });
    const b = await clickedAt('buyer');
    const k = await clickedAt('clicker');
    await touchpoints.recordMany([
      order('buyer', b - HOUR, '5.00'), // before the click
      order('buyer', b + HOUR, '100.50'), // day 1, a string total as Shopify sends it
      order('buyer', b + 6 * 24 * HOUR, 40), // day 7, a number
      order('buyer', b + 8 * 24 * HOUR, 999), // after the window
      order('clicker', k + 2 * 24 * HOUR, '20'), // day 3
      order('proxy', Date.now() + HOUR, 500), // never clicked
    ]);

    const report = await api().get(`/campaigns/${c.id}/report`);
    expect(report.status).toBe(200);
    expect(report.body.data).toEqual({
      days: 7,
      messages: 7,
      sent: 5,
      failed: 1,
      skipped: 1,
      skippedBy: { no_consent: 1 },
      waiting: 0,
      bounced: 2,
      delivered: 4,
      opened: 3,
      clicked: 2,
      unsubscribed: 1,
      orders: 3,
      revenue: 160.5,
      rates: { delivered: 0.8, opened: 0.75, clicked: 0.5, unsubscribed: 0.25, failed: 0.1667 },
    });
    const oneDay = (await api().get(`/campaigns/${c.id}/report?days=1`)).body.data;
    expect(oneDay).toMatchObject({ days: 1, orders: 1, revenue: 100.5 });
    for (const bad of ['0', '91', '1.5', 'x']) {
      const res = await api().get(`/campaigns/${c.id}/report?days=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.message).toMatch(/^days:/);
    }
    expect((await api().get('/campaigns/nope/report')).status).toBe(404);
  }, 60_000);

  it('an invalid definition is a 400 naming the field', async () => {
    const template = await createTestTemplate(app.strapi);
    const { segmentId } = await segmentOf([{}]);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ segmentId, templateKey: template }, /name/],
      [{ name: 'x', segmentId: 'nope', templateKey: template }, /segmentId: no segment/],
      [{ name: 'x', segmentId, templateKey: 'no-such-template' }, /templateKey: no template/],
      [{ name: 'x', segmentId, templateKey: template, schedule: { mode: 'local', localTime: 'tomorrow' } }, /schedule\.localTime/],
      [{ name: 'x', segmentId, templateKey: template, schedule: { mode: 'at', sendAt: '2030-01-01' } }, /schedule\.sendAt/],
      [{ name: 'x', segmentId, templateKey: template, window: { start: '18:00', end: '09:00' } }, /window\.end/],
      [{ name: 'x', segmentId, templateKey: template, window: { start: '09:00', end: '18:00', days: [0] } }, /window\.days/],
    ];
    for (const [body, message] of cases) {
      const res = await api().post('/campaigns', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await api().get('/campaigns/nope')).status).toBe(404);
  });

  it('permissions: 401 without a login, 403 without the action, 200 with it', async () => {
    const template = await createTestTemplate(app.strapi);
    const { segmentId } = await segmentOf([{}]);
    const body = { name: 'perm', segmentId, templateKey: template };
    expect((await app.request.get('/lifecycle-email/campaigns')).status).toBe(401);
    expect((await app.request.post('/lifecycle-email/campaigns').send(body)).status).toBe(401);
    const author = (await testAdmin(app, 'strapi-author')).jwt;
    expect((await app.request.get('/lifecycle-email/campaigns').set('Authorization', `Bearer ${author}`)).status).toBe(403);
    const reader = await adminJwt(app.request, await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'campaign reader', ['plugin::lifecycle-email.campaigns.read'])));
    const list = await app.request.get('/lifecycle-email/campaigns').set('Authorization', `Bearer ${reader}`);
    expect(list.status).toBe(200);
    expect((await app.request.post('/lifecycle-email/campaigns').set('Authorization', `Bearer ${reader}`).send(body)).status).toBe(403);
    const created = await api().post('/campaigns', body);
    expect(created.status).toBe(201);
    expect((await app.request.get(`/lifecycle-email/campaigns/${created.body.data.id}`).set('Authorization', `Bearer ${reader}`)).status).toBe(200);
    expect((await app.request.get(`/lifecycle-email/campaigns/${created.body.data.id}/report`).set('Authorization', `Bearer ${reader}`)).status).toBe(200);
    expect((await app.request.get(`/lifecycle-email/campaigns/${created.body.data.id}/report`).set('Authorization', `Bearer ${author}`)).status).toBe(403);
    expect((await app.request.post(`/lifecycle-email/campaigns/${created.body.data.id}/send`).set('Authorization', `Bearer ${reader}`)).status).toBe(403);
    expect((await app.request.post(`/lifecycle-email/campaigns/${created.body.data.id}/cancel`).set('Authorization', `Bearer ${jwt}`)).status).toBe(200);
  });
});
