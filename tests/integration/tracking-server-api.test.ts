import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../helpers/admin';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, createApiToken, newId, touchpointsOf } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'shop_api';

describe('server-side touchpoint API and timeline', () => {
  let app: BootedStrapi;
  let token: string;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_SITES: `${SITE}=${SHOP}` } });
    token = await createApiToken(app.strapi);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const post = (path: string, body: unknown, auth = true) => {
    const req = app.request.post(`/api/tracking/v1/${path}`).set('Content-Type', 'application/json');
    if (auth) req.set('Authorization', `Bearer ${token}`);
    return req.send(JSON.stringify(body));
  };

  it('refuses calls without a valid API token', async () => {
    expect((await post('track', { messageId: 'x', channel: 'whatsapp', type: 'message_received', email: 'a@b.co' }, false)).status).toBe(403);
    const bad = await app.request
      .post('/api/tracking/v1/track')
      .set('Authorization', 'Bearer not-a-token')
      .send({ messageId: 'x', channel: 'whatsapp', type: 'message_received', email: 'a@b.co' });
    expect(bad.status).toBe(401);
  });

  it('tracks a WhatsApp message onto the customer timeline, idempotent by messageId', async () => {
    const email = `${newId('wa').toLowerCase()}@example.com`;
    const call = {
      messageId: newId('m'),
      channel: 'whatsapp',
      type: 'message_received',
      email,
      timestamp: '2026-11-20T10:00:00Z',
      properties: { text: 'Can you quote 300 trays?', from: '+49 170 000' },
    };
    const first = await post('track', call);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ messageId: call.messageId, status: 'stored' });
    const again = await post('track', call);
    expect(again.body).toMatchObject({ status: 'duplicate', customerId: first.body.customerId });
    const rows = await touchpointsOf(app.strapi, { customer_id: first.body.customerId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'message_received', channel: 'whatsapp', occurred_at: Date.parse('2026-11-20T10:00:00Z') });
    expect(rows[0].properties).toEqual(call.properties);
    const customer = await app.strapi.documents('plugin::crm.customer').findOne({ documentId: first.body.customerId });
    expect(customer?.email).toBe(email);
  });

  it('names custom events, and says what is wrong with a bad call', async () => {
    const ok = await post('track', { messageId: newId('m'), channel: 'erp', event: 'invoice_paid', userId: 'ERP-42', properties: { amount: 1200 } });
    expect(ok.status).toBe(200);
    const [row] = await touchpointsOf(app.strapi, { customer_id: ok.body.customerId });
    expect(row).toMatchObject({ type: 'custom', channel: 'erp' });
    expect(row.properties).toEqual({ amount: 1200, event: 'invoice_paid' });
    const cases: Array<[unknown, RegExp]> = [
      [{ messageId: 'a', channel: 'WhatsApp!', type: 'message_received', email: 'a@b.co' }, /channel/],
      [{ messageId: 'a', channel: 'erp', email: 'a@b.co' }, /"type".*"event"/],
      [{ messageId: 'a', channel: 'erp', type: 'not_a_type', email: 'a@b.co' }, /type/],
      [{ messageId: 'a', channel: 'erp', type: 'custom' }, /userId, email or anonymousId/],
      [{ channel: 'erp', type: 'custom', email: 'a@b.co' }, /messageId/],
    ];
    for (const [body, message] of cases) {
      const res = await post('track', body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('identify joins a browser visitor to the customer: earlier web touchpoints land on the timeline', async () => {
    const visitor = newId();
    await app.request
      .post('/moat/collect')
      .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
      .send(JSON.stringify(batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/products/tray` }])));
    const res = await post('identify', {
      channel: 'live_chat',
      userId: `shopify-${newId('c')}`,
      anonymousId: visitor,
      traits: { email: `${newId('chat').toLowerCase()}@example.com`, name: 'Chat Buyer', company: 'Chat Co' },
    });
    expect(res.status).toBe(200);
    const customerId = res.body.customerId as string;
    const rows = await touchpointsOf(app.strapi, { customer_id: customerId });
    expect(rows.map((r) => [r.type, r.channel])).toEqual([
      ['page_view', 'web'],
      ['identify', 'live_chat'],
    ]);
    // later browser events of that visitor arrive already joined
    await app.request
      .post('/moat/collect')
      .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
      .send(JSON.stringify(batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/cart` }])));
    expect((await touchpointsOf(app.strapi, { visitor_id: visitor })).every((r) => r.customer_id === customerId)).toBe(true);
  });

  it('batch: validates every call first, then stores them in order', async () => {
    const email = `${newId('b').toLowerCase()}@example.com`;
    const bad = await post('batch', {
      batch: [
        { action: 'track', messageId: newId('m'), channel: 'email', type: 'email_opened', email },
        { action: 'track', messageId: newId('m'), channel: 'email', type: 'nope', email },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^batch\.1: type/);
    expect(await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email } })).toBeNull();
    const ok = await post('batch', {
      batch: [
        { action: 'identify', channel: 'email', email, traits: { name: 'Batch Buyer' } },
        { action: 'track', messageId: newId('m'), channel: 'email', type: 'email_opened', email, properties: { campaign: 'welcome' } },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.results.map((r: { status: string }) => r.status)).toEqual(['stored', 'stored']);
  });

  it('timeline: newest first, cursor pages without gaps, filters by type and channel, over the API', async () => {
    const email = `${newId('tl').toLowerCase()}@example.com`;
    const base = Date.parse('2026-10-01T00:00:00Z');
    const calls = Array.from({ length: 25 }, (_, i) => ({
      action: 'track',
      messageId: newId('m'),
      channel: i % 5 === 0 ? 'email' : 'whatsapp',
      type: i % 5 === 0 ? 'email_opened' : 'message_received',
      email,
      timestamp: base + i * 60_000,
      properties: { i },
    }));
    const stored = await post('batch', { batch: calls });
    const customerId = stored.body.results[0].customerId as string;
    const get = (q: string) => app.request.get(`/api/tracking/v1/customers/${customerId}/timeline?${q}`).set('Authorization', `Bearer ${token}`);
    const seen: number[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const res = await get(`limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((t: { properties: { i: number } }) => t.properties.i));
      if (!res.body.nextCursor) break;
      cursor = res.body.nextCursor;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
    const emails = await get('type=email_opened&channel=email');
    expect(emails.body.items.map((t: { properties: { i: number } }) => t.properties.i)).toEqual([20, 15, 10, 5, 0]);
    // filtered pages merge one range per type (or channel): walk them by cursor
    const walk = async (filter: string, limit: number) => {
      const items: number[] = [];
      let next = '';
      for (let page = 0; page < 20; page++) {
        const res = await get(`${filter}&limit=${limit}${next ? `&cursor=${next}` : ''}`);
        expect(res.status).toBe(200);
        items.push(...res.body.items.map((t: { properties: { i: number } }) => t.properties.i));
        if (!res.body.nextCursor) return items;
        next = res.body.nextCursor;
      }
      throw new Error('the cursor never ended');
    };
    const all = Array.from({ length: 25 }, (_, i) => 24 - i);
    expect(await walk('type=email_opened,message_received', 4)).toEqual(all);
    expect(await walk('channel=whatsapp', 7)).toEqual(all.filter((i) => i % 5 !== 0));
    expect(await walk('channel=email,whatsapp&type=email_opened', 2)).toEqual([20, 15, 10, 5, 0]);
    expect((await get('type=refund_issued')).body).toEqual({ items: [], nextCursor: null });
    expect((await get('cursor=garbage!')).status).toBe(400);
    expect((await get('limit=1000')).status).toBe(400);
    expect((await app.request.get(`/api/tracking/v1/customers/${customerId}/timeline`)).status).toBe(403);
  });

  it('admin routes (timeline, overview) need an admin login', async () => {
    const email = `${newId('adm').toLowerCase()}@example.com`;
    const tracked = await post('track', { messageId: newId('m'), channel: 'erp', type: 'order_placed', email, properties: { total: 99 } });
    const customerId = tracked.body.customerId as string;
    expect((await app.request.get(`/tracking/customers/${customerId}/timeline`)).status).toBe(401);
    expect((await app.request.get('/tracking/overview')).status).toBe(401);
    const admin = await createSuperAdmin(app.strapi);
    const jwt = (await app.request.post('/admin/login').send(admin).expect(200)).body.data.token as string;
    const timeline = await app.request.get(`/tracking/customers/${customerId}/timeline`).set('Authorization', `Bearer ${jwt}`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items.map((t: { type: string; channel: string }) => [t.type, t.channel])).toEqual([['order_placed', 'erp']]);
    const overview = await app.request.get('/tracking/overview').set('Authorization', `Bearer ${jwt}`);
    expect(overview.status).toBe(200);
    expect(overview.body.sites).toEqual([{ key: SITE, origins: [SHOP], managedBy: 'config' }]);
    expect(overview.body.last24h.byType.find((r: { type: string }) => r.type === 'order_placed')?.count).toBeGreaterThanOrEqual(1);
  });
});
