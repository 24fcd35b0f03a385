import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, IPHONE_UA, newId, touchpointsOf, visitorRow } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'shop_main';

describe('collect endpoint', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi({
      env: { MOAT_SITES: `${SITE}=${SHOP} https://*.example.org;other_site=https://other.example.net`, IS_PROXIED: 'true' },
    });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const send = (body: unknown, { origin = SHOP, ua = CHROME_UA, ip = '81.2.69.142', type = 'text/plain;charset=UTF-8' } = {}) => {
    const req = app.request.post('/moat/collect').set('User-Agent', ua).set('X-Forwarded-For', ip).set('Content-Type', type);
    if (origin) req.set('Origin', origin);
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  it('stores a text/plain batch with country, device, source and session, and no IP', async () => {
    const visitor = newId();
    const url = `${SHOP}/products/tray?utm_source=spring_news&utm_medium=email&utm_campaign=s26`;
    const res = await send(batch(SITE, visitor, [{ type: 'page_view', url, referrer: 'https://mail.google.com/', title: 'Tray' }]), {
      ua: IPHONE_UA,
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1 });
    expect(res.headers['access-control-allow-origin']).toBe(SHOP);
    const [row] = await touchpointsOf(app.strapi, { visitor_id: visitor });
    expect(row).toMatchObject({
      type: 'page_view',
      channel: 'web',
      site: SITE,
      country: 'GB',
      device: 'mobile',
      os: 'iOS',
      source: 'spring_news',
      source_channel: 'email',
      path: '/products/tray',
      url,
      customer_id: null,
    });
    expect(row.browser).toMatch(/Safari/);
    expect(row.properties).toMatchObject({ title: 'Tray', referrer: 'https://mail.google.com/' });
    expect(row.session_id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const columns = Object.keys(await app.strapi.db.connection('moat_touchpoints').columnInfo());
    expect(columns.some((c) => /ip/.test(c))).toBe(false);
    expect(Object.values(row)).not.toContain('81.2.69.142');
    const v = await visitorRow(app.strapi, visitor);
    expect(v).toMatchObject({ timezone: 'Europe/Berlin', language: 'de-DE', first_source_channel: 'email', country: 'GB' });
  });

  it('classifies acquisition: organic search, paid click, social, referral, direct', async () => {
    const cases: Array<[string, string | undefined, string, string | null]> = [
      [`${SHOP}/`, 'https://www.google.com/', 'organic_search', 'google.com'],
      [`${SHOP}/?gclid=abc`, 'https://www.google.com/', 'paid', 'google.com'],
      [`${SHOP}/`, 'https://l.facebook.com/', 'social', 'l.facebook.com'],
      [`${SHOP}/`, 'https://blog.partner.io/post', 'referral', 'blog.partner.io'],
      [`${SHOP}/`, undefined, 'direct', null],
    ];
    for (const [url, referrer, channel, source] of cases) {
      const visitor = newId();
      expect((await send(batch(SITE, visitor, [{ type: 'page_view', url, referrer }]))).status).toBe(202);
      const [row] = await touchpointsOf(app.strapi, { visitor_id: visitor });
      expect({ channel: row.source_channel, source: row.source }).toEqual({ channel, source });
    }
  });

  it('accepts application/json after a preflight and wildcard origins', async () => {
    const pre = await app.request.options('/moat/collect').set('Origin', 'https://eu.example.org').set('Access-Control-Request-Method', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toBe('content-type');
    const visitor = newId();
    const res = await send(batch(SITE, visitor, [{ type: 'page_view', url: 'https://eu.example.org/' }]), {
      origin: 'https://eu.example.org',
      type: 'application/json',
    });
    expect(res.status).toBe(202);
    expect(await touchpointsOf(app.strapi, { visitor_id: visitor })).toHaveLength(1);
  });

  it('keeps a session for 30 idle minutes and starts a new one after', async () => {
    const visitor = newId();
    const t0 = Date.now() - 3 * 3600_000;
    const events = [
      { type: 'page_view', url: `${SHOP}/a`, ts: t0 },
      { type: 'page_view', url: `${SHOP}/b`, ts: t0 + 29 * 60_000 },
      { type: 'page_view', url: `${SHOP}/c`, ts: t0 + 29 * 60_000 + 31 * 60_000 },
    ];
    expect((await send({ ...batch(SITE, visitor, events), sent: undefined })).status).toBe(202);
    const rows = await touchpointsOf(app.strapi, { visitor_id: visitor });
    expect(rows.map((r) => r.path)).toEqual(['/a', '/b', '/c']);
    expect(rows[0].session_id).toBe(rows[1].session_id);
    expect(rows[2].session_id).not.toBe(rows[1].session_id);
    expect(rows[0].occurred_at).toBe(t0);
  });

  it('corrects the visitor clock skew with the batch "sent" time', async () => {
    const visitor = newId();
    const skewed = Date.now() + 3600_000; // visitor clock one hour fast
    const res = await send({ ...batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/`, ts: skewed - 5000 }]), sent: skewed });
    expect(res.status).toBe(202);
    const [row] = await touchpointsOf(app.strapi, { visitor_id: visitor });
    expect(Math.abs(row.occurred_at - (Date.now() - 5000))).toBeLessThan(3000);
  });

  it('stores a retried event once (dedupe by visitor and event id)', async () => {
    const visitor = newId();
    const body = batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/` }, { type: 'engagement', props: { engaged_ms: 1200, scroll_pct: 40 } }]);
    expect((await send(body)).status).toBe(202);
    expect((await send(body)).status).toBe(202);
    expect(await touchpointsOf(app.strapi, { visitor_id: visitor })).toHaveLength(2);
  });

  it('refuses bad requests with a 4xx that says what is wrong', async () => {
    const visitor = newId();
    const ok = batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/` }]);
    const cases: Array<[() => ReturnType<typeof send>, number, RegExp]> = [
      [() => send({ ...ok, site: 'nope_site' }), 403, /unknown site key "nope_site"/],
      [() => send(ok, { origin: 'https://evil.example.com' }), 403, /origin https:\/\/evil.example.com is not allowed/],
      [() => send(ok, { origin: '' }), 403, /Origin header is required/],
      [() => send({ ...ok, site: 'other_site' }), 403, /not allowed for site "other_site"/],
      [() => send('{"site":'), 400, /not valid JSON/],
      [() => send(''), 400, /body is empty/],
      [() => send({ ...ok, events: [] }), 400, /events/],
      [() => send(batch(SITE, visitor, Array.from({ length: 51 }, () => ({ type: 'page_view' })))), 400, /events: .*50/],
      [() => send({ ...ok, events: [{ ...ok.events[0], type: 'order_placed' }] }), 400, /events\.0\.type/],
      [() => send({ ...ok, visitor: 'x' }), 400, /visitor/],
      [() => send(`{"site":"${SITE}","visitor":"${visitor}","events":[],"pad":"${'x'.repeat(70_000)}"}`), 413, /over 65536 bytes/],
      [() => send(ok, { type: 'application/x-www-form-urlencoded' }), 415, /text\/plain or application\/json/],
      [() => app.request.get('/moat/collect'), 405, /use POST/],
    ];
    for (const [call, status, message] of cases) {
      const res = await call();
      expect({ status: res.status, message: res.body?.error?.message }).toMatchObject({ status, message: expect.stringMatching(message) });
    }
    expect(await touchpointsOf(app.strapi, { visitor_id: visitor })).toHaveLength(0);
  });

  it('does not serve the demo storefront when the demo is off', async () => {
    expect((await app.request.get('/moat/demo')).status).toBe(404);
    expect([404, 405]).toContain((await app.request.post('/moat/demo/cart/add.js')).status);
  });

  it('answers /moat/collect ahead of Strapi and hands every other path to Strapi unchanged', async () => {
    // with a query string it is still the collect endpoint (Strapi's stack would add its headers)
    const collect = await app.request
      .post('/moat/collect?v=1')
      .set('Origin', SHOP)
      .set('User-Agent', CHROME_UA)
      .set('Content-Type', 'text/plain')
      .send(JSON.stringify(batch(SITE, newId(), [{ type: 'page_view', url: `${SHOP}/` }])));
    expect(collect.status).toBe(202);
    expect(collect.headers['content-security-policy']).toBeUndefined();
    // a longer path is not collect: Strapi answers it (404/405, with its security headers)
    const other = await app.request.post('/moat/collector').send('{}');
    expect([404, 405]).toContain(other.status);
    expect(other.headers['content-security-policy']).toBeDefined();
    expect((await app.request.get('/_health')).status).toBe(204);
  });

  it('drops bots without storing them', async () => {
    const visitor = newId();
    const res = await send(batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/` }]), {
      ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 0, dropped: 'bot' });
    expect(await touchpointsOf(app.strapi, { visitor_id: visitor })).toHaveLength(0);
  });

  it('joins the visitor to a CRM customer when a form carries an email, earlier events included', async () => {
    const visitor = newId();
    const email = `${newId('buyer').toLowerCase()}@example.com`;
    await send(batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/products/tray` }]));
    const form = {
      type: 'form_submit',
      url: `${SHOP}/pages/rfq`,
      props: { form: 'inquiry', fields: { email: email.toUpperCase(), name: 'Ada Buyer', company: 'Ada GmbH', message: '500 pcs' } },
    };
    expect((await send(batch(SITE, visitor, [form]))).status).toBe(202);
    await send(batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/cart` }]));
    const customer = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email } });
    expect(customer).toMatchObject({ email, name: 'Ada Buyer', company: 'Ada GmbH' });
    const rows = await touchpointsOf(app.strapi, { visitor_id: visitor });
    expect(rows.map((r) => [r.type, r.customer_id])).toEqual([
      ['page_view', customer?.documentId],
      ['form_submit', customer?.documentId],
      ['page_view', customer?.documentId],
    ]);
    expect((await visitorRow(app.strapi, visitor)).customer_id).toBe(customer?.documentId);
    // a second visitor (another device) identifying with the same email joins the same customer
    const other = newId();
    await send(batch(SITE, other, [{ type: 'identify', props: { email, phone: '+49 30 1234567' } }]));
    expect((await visitorRow(app.strapi, other)).customer_id).toBe(customer?.documentId);
    const updated = await app.strapi.documents('plugin::crm.customer').findOne({ documentId: customer?.documentId as string });
    expect(updated).toMatchObject({ phone: '+49301234567', name: 'Ada Buyer' });
  });

  it.skipIf(process.env.DATABASE_CLIENT === 'postgres')(
    "waits while Strapi's own connection holds the SQLite write lock, then stores and answers 202",
    async () => {
      const visitor = newId();
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let locked = () => {};
      const isLocked = new Promise<void>((resolve) => {
        locked = resolve;
      });
      // a Strapi write transaction that awaits something: it keeps SQLite's write lock
      const transaction = app.strapi.db.connection.transaction(async (trx) => {
        await trx('moat_visitors').insert({ visitor_id: newId(), last_seen_at: Date.now(), first_seen_at: Date.now() });
        locked();
        await held;
      });
      await isLocked;
      let answered = false;
      const response = send(batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/while-locked` }])).then((res) => {
        answered = true;
        return res;
      });
      // the collect write cannot take the lock; blocking the event loop for it would also
      // block this transaction, so it must retry while timers (and this test) keep running
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      release();
      await transaction;
      const res = await response;
      expect(res.status).toBe(202);
      expect(await touchpointsOf(app.strapi, { visitor_id: visitor })).toHaveLength(1);
    },
  );

  it('flushes accepted events on shutdown', async () => {
    const collector = app.strapi.plugin('tracking').service('collector');
    const visitor = newId();
    const pending = Array.from({ length: 30 }, (_, i) =>
      collector.submit({
        batch: batch(SITE, visitor, [{ type: 'custom', props: { event: `n${i}` } }]),
        client: { bot: false, device: 'desktop', browser: 'Chrome', os: 'Windows' },
        country: null,
        receivedAt: Date.now(),
      }),
    );
    await collector.close();
    await Promise.all(pending);
    expect(await touchpointsOf(app.strapi, { visitor_id: visitor })).toHaveLength(30);
    const refused = await send(batch(SITE, newId(), [{ type: 'page_view', url: `${SHOP}/` }]));
    expect(refused.status).toBe(503);
    expect(refused.body.error.message).toMatch(/retry/);
  });
});

describe('collect rate limits', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi({
      env: { MOAT_SITES: `${SITE}=${SHOP}`, IS_PROXIED: 'true', MOAT_COLLECT_IP_LIMIT: '5', MOAT_COLLECT_SITE_LIMIT: '8' },
    });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('limits requests per IP and events per site with 429 and Retry-After', async () => {
    const post = (ip: string, n = 1) =>
      app.request
        .post('/moat/collect')
        .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'X-Forwarded-For': ip, 'Content-Type': 'text/plain' })
        .send(JSON.stringify(batch(SITE, newId(), Array.from({ length: n }, () => ({ type: 'page_view', url: `${SHOP}/` })))));
    const fromOne = [];
    for (let i = 0; i < 6; i++) fromOne.push((await post('203.0.113.7')).status);
    expect(fromOne).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await post('203.0.113.7');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.body.error.message).toMatch(/too many requests from this address/);
    // the site has 8 events per window: 5 used above; another IP sending 4 hits the site limit
    const site = await post('198.51.100.9', 4);
    expect(site.status).toBe(429);
    expect(site.body.error.message).toMatch(/too many events for this site/);
  });
});

describe.skipIf(process.env.DATABASE_CLIENT === 'postgres')('collect shutdown on a SQLite file', () => {
  it('releases the database files: after destroy no connection (nor the checkpointer thread) holds them', async () => {
    const app = await bootStrapi({ env: { MOAT_SITES: `${SITE}=${SHOP}` } });
    const dir = dirname(app.database.env.DATABASE_FILENAME);
    try {
      const res = await app.request
        .post('/moat/collect')
        .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
        .send(JSON.stringify(batch(SITE, newId(), [{ type: 'page_view', url: `${SHOP}/` }])));
      expect(res.status).toBe(202);
      await app.strapi.destroy();
      // the last connection to close checkpoints and deletes -wal and -shm; an open one keeps them
      expect(readdirSync(dir)).toEqual(['data.db']);
    } finally {
      await app.database.drop();
    }
  });
});
