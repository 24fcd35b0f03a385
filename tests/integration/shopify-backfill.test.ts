/**
 * Backfill of a shop's existing customers, products and orders from a local stand-in of the
 * Admin REST API (random 429s and 503s), its admin routes, and the embedded app home.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, shopifyCustomer, shopifyOrder } from '../fixtures/shopify';
import { adminJwt, createAdminWithRole, createAdminInRole, createRoleWithActions, createSuperAdmin } from '../helpers/admin';
import { adminApiStandIn, type StandInShop } from '../helpers/shopify-admin-api';
import { sessionToken } from '../helpers/shopify-session-token';
import { deliverInResponseShape } from '../helpers/shopify-webhooks';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const suffix = Date.now().toString(36);
let seq = 0;
const newShop = () => `moat-bf-${suffix}-${seq++}.myshopify.com`;
let nextBase = 30_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
const newBase = () => (nextBase += 1_000_000);

describe('Shopify backfill', () => {
  let app: BootedStrapi;
  let standIn: Awaited<ReturnType<typeof adminApiStandIn>>;
  const shops = new Map<string, StandInShop>();
  let superJwt: string;

  beforeAll(async () => {
    standIn = await adminApiStandIn(shops, { rate429: 0.25, first429: true, retryAfter: '0.2', rate503: 0.1, rateFullBucket: 0.05 });
    app = await bootStrapi({
      env: {
        SHOPIFY_API_KEY: APP_KEY,
        SHOPIFY_API_SECRET: APP_SECRET,
        SHOPIFY_APP_URL: 'https://moat.example.com',
        MOAT_SHOPIFY_API_ORIGIN: standIn.url,
        MOAT_SHOPIFY_BACKFILL_PAGE_SIZE: '50',
      },
    });
    superJwt = await adminJwt(app.request, await createSuperAdmin(app.strapi));
  });
  afterAll(async () => {
    await app?.destroy();
    await standIn?.close();
  });

  const knex = () => app.strapi.db.connection;
  const backfill = () => app.strapi.plugin('shopify').service('backfill');

  /** an installed shop with an offline session, served by the stand-in */
  async function installShop(data: Omit<StandInShop, 'token' | 'firstId'>) {
    const shop = newShop();
    const token = `shpat_${shop.split('.')[0].replace(/-/g, '')}`;
    shops.set(shop, { token, firstId: newBase(), ...data });
    const { Session } = await import('@shopify/shopify-api');
    await app.strapi.plugin('shopify').service('session-storage').storeSession(new Session({ id: `offline_${shop}`, shop, state: '', isOnline: false, accessToken: token, scope: 'read_orders' }));
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_orders');
    return { shop, spec: shops.get(shop) as StandInShop };
  }
  const orderTouchpoints = (shop: string) => knex()('moat_touchpoints').where({ channel: 'shopify', site: shop, type: 'order_placed' });
  /** delivers and waits until a worker has processed it */
  const deliver = (shop: string, topic: string, payload: unknown) => deliverInResponseShape(app, shop, topic, payload);
  const props = (row: { properties: unknown }) => (typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties);

  it('imports customers, products and every order once through 429s and 503s; a webhook of the same order adds nothing; a second run changes nothing', { timeout: 300_000 }, async () => {
    const customer = shopifyCustomer(newBase(), Date.now() - 90_000);
    const early = shopifyOrder(newBase(), customer, Date.now() - 80_000);
    const { shop, spec } = await installShop({ customers: 12, products: 7, orders: 260, extraOrders: [early] });
    // this order arrives by webhook before the backfill lists it too
    expect((await deliver(shop, 'orders/create', early)).body.status).toBe('processed');
    const webhookCopy = (await orderTouchpoints(shop))[0];

    const started = await app.request.post('/shopify/backfill').set('Authorization', `Bearer ${superJwt}`).send({ shop });
    expect(started.status).toBe(202);
    expect(started.body.data.map((p: { resource: string }) => p.resource).sort()).toEqual(['customers', 'orders', 'products']);
    const t0 = performance.now();
    await backfill().idle(shop);
    console.log(`backfill of 281 items: ${Math.round(performance.now() - t0)} ms`);

    const progress = (await app.request.get(`/shopify/backfill?shop=${shop}`).set('Authorization', `Bearer ${superJwt}`)).body.data;
    expect(progress.map((p: { resource: string; status: string; done: number; total: number }) => [p.resource, p.status, p.done, p.total])).toEqual([
      ['customers', 'done', 12, 12],
      ['orders', 'done', 261, 261],
      ['products', 'done', 7, 7],
    ]);
    const served = standIn.served.filter((r) => r.shop === shop);
    expect(served.some((r) => r.status === 429)).toBe(true);
    console.log(`backfill (${app.database.client}): ${served.length} requests, ${served.filter((r) => r.status === 429).length} answered 429, ${served.filter((r) => r.status === 503).length} answered 503`);

    const orders = await orderTouchpoints(shop);
    expect(orders).toHaveLength(261);
    expect(new Set(orders.map((o) => props(o).order_id)).size).toBe(261);
    // the webhook's touchpoint is the one kept, and a backfilled one looks exactly like it
    const early2 = orders.find((o) => props(o).order_id === String(early.id));
    expect(early2.id).toBe(webhookCopy.id);
    const [customerCount] = await knex()('crm_customers').where('external_id', 'like', `shopify:${shop}:%`).count({ n: '*' });
    expect(Number(customerCount.n)).toBe(12 + 1);
    expect(await knex()('shopify_products').where({ shop }).count({ n: '*' }).first()).toMatchObject({ n: expect.anything() });
    expect(Number((await knex()('shopify_products').where({ shop }).count({ n: '*' }).first())?.n)).toBe(7);
    expect((await knex()('moat_touchpoints').where({ channel: 'shopify', site: shop, type: 'order_fulfilled' })).length).toBe(Math.ceil(260 / 7));

    // a later webhook of a backfilled order is processed but records no second touchpoint
    const { entitiesOf } = await import('../helpers/shopify-admin-api');
    const again = await deliver(shop, 'orders/updated', entitiesOf(spec).order(5));
    expect(again.body).toMatchObject({ status: 'processed', detail: { recorded: [] } });
    // and a second backfill (re-run on demand) stores nothing new
    await backfill().start(shop);
    await backfill().idle(shop);
    expect(await orderTouchpoints(shop)).toHaveLength(261);
    expect((await backfill().progress(shop)).every((p: { status: string }) => p.status === 'done')).toBe(true);
  });

  it('starts on install: an embedded token exchange queues every resource and imports them', async () => {
    const shop = newShop();
    shops.set(shop, { token: `shpat_install_${seq}`, firstId: newBase(), customers: 4, products: 3, orders: 9 });
    const res = await app.request.post('/api/shopify/auth/token-exchange').set('Authorization', `Bearer ${sessionToken(shop)}`);
    expect(res.status).toBe(200);
    await backfill().idle(shop);
    expect((await backfill().progress(shop)).map((p: { resource: string; status: string; done: number }) => [p.resource, p.status, p.done])).toEqual([
      ['customers', 'done', 4],
      ['orders', 'done', 9],
      ['products', 'done', 3],
    ]);
    expect(await orderTouchpoints(shop)).toHaveLength(9);
  });

  it('records a revoked token (401 from Shopify) as the failure of each resource, and resumes after a fix', async () => {
    const { shop, spec } = await installShop({ customers: 3, products: 2, orders: 5 });
    const token = spec.token;
    spec.token = 'shpat_rotated';
    await backfill().start(shop);
    await backfill().idle(shop);
    const failed = await backfill().progress(shop);
    expect(failed.map((p: { status: string }) => p.status)).toEqual(['failed', 'failed', 'failed']);
    expect(failed[0].error).toMatch(/401/);
    spec.token = token;
    await backfill().start(shop);
    await backfill().idle(shop);
    expect((await backfill().progress(shop)).map((p: { status: string; done: number }) => [p.status, p.done])).toEqual([
      ['done', 3],
      ['done', 5],
      ['done', 2],
    ]);
  });

  it('guards the admin routes: 401 without a login, 403 without the permission, 200/202 with it; bad shops are 400/404', async () => {
    const { shop } = await installShop({ customers: 1, products: 1, orders: 1 });
    expect((await app.request.get('/shopify/backfill')).status).toBe(401);
    expect((await app.request.post('/shopify/backfill').send({ shop })).status).toBe(401);
    const editor = await adminJwt(app.request, await createAdminWithRole(app.strapi, 'strapi-editor'));
    expect((await app.request.get('/shopify/backfill').set('Authorization', `Bearer ${editor}`)).status).toBe(403);
    expect((await app.request.post('/shopify/backfill').set('Authorization', `Bearer ${editor}`).send({ shop })).status).toBe(403);
    const reader = await adminJwt(app.request, await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'backfill reader', ['plugin::shopify.backfill.read'])));
    expect((await app.request.get('/shopify/backfill').set('Authorization', `Bearer ${reader}`)).status).toBe(200);
    expect((await app.request.post('/shopify/backfill').set('Authorization', `Bearer ${reader}`).send({ shop })).status).toBe(403);
    const runner = await adminJwt(app.request, await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'backfill runner', ['plugin::shopify.backfill.run'])));
    expect((await app.request.post('/shopify/backfill').set('Authorization', `Bearer ${runner}`).send({ shop })).status).toBe(202);
    await backfill().idle(shop);

    const auth = { Authorization: `Bearer ${superJwt}` };
    const noShop = await app.request.post('/shopify/backfill').set(auth).send({});
    expect(noShop.status).toBe(400);
    expect(noShop.body.error.message).toMatch(/shop is required/);
    expect((await app.request.post('/shopify/backfill').set(auth).send({ shop: 'evil.example.com' })).status).toBe(400);
    expect((await app.request.get('/shopify/backfill?shop=evil.example.com').set(auth)).status).toBe(400);
    const unknown = await app.request.post('/shopify/backfill').set(auth).send({ shop: newShop() });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/has not installed/);
  });

  describe('embedded app home', () => {
    it('renders the page with App Bridge and the api key; with a signed app load it shows the connection and progress', async () => {
      const { shop } = await installShop({ customers: 2, products: 1, orders: 3 });
      await backfill().start(shop);
      await backfill().idle(shop);
      const params = new URLSearchParams({ embedded: '1', host: Buffer.from(`admin.shopify.com/store/${shop.split('.')[0]}`).toString('base64url'), shop, timestamp: String(Math.floor(Date.now() / 1000)) });
      const sorted = new URLSearchParams([...params].sort(([a], [b]) => a.localeCompare(b)));
      const hmac = createHmac('sha256', APP_SECRET).update(sorted.toString()).digest('hex');
      const res = await app.request.get(`/api/shopify/app?${sorted}&hmac=${hmac}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.headers['content-security-policy']).toContain(`frame-ancestors https://${shop} https://admin.shopify.com`);
      expect(res.text).toContain(`<meta name="shopify-api-key" content="${APP_KEY}">`);
      expect(res.text).toContain('<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>');
      expect(res.text).toContain('data-connection="installed"');
      expect(res.text).toMatch(/<tr data-resource="orders">.*done.*3 \/ 3/);
      expect(res.text).toContain('href="https://moat.example.com/admin"');
      // no other external resource: the page reads fine without Shopify's CDN
      expect(res.text.match(/(src|href)="https?:\/\/[^"]+"/g)).toEqual(['src="https://cdn.shopify.com/shopifycloud/app-bridge.js"', 'href="https://moat.example.com/admin"']);

      const forged = await app.request.get(`/api/shopify/app?${sorted}&hmac=${'0'.repeat(64)}`);
      expect(forged.status).toBe(200);
      expect(forged.text).toContain('data-connection="not-verified"');
      expect(forged.text).not.toContain('data-resource="orders"');
      expect(forged.text).not.toContain(shop);
    });

    it('status: a valid session token → 200 with the progress; missing, tampered, expired, not-yet-valid or foreign tokens → 401', async () => {
      const { shop } = await installShop({ customers: 1, products: 1, orders: 2 });
      await backfill().start(shop);
      await backfill().idle(shop);
      const get = (token?: string) => {
        const req = app.request.get('/api/shopify/app/status');
        return token ? req.set('Authorization', `Bearer ${token}`) : req;
      };
      const ok = await get(sessionToken(shop));
      expect(ok.status).toBe(200);
      expect(ok.body.data).toMatchObject({ shop, connection: 'installed' });
      expect(ok.body.data.backfill.find((p: { resource: string }) => p.resource === 'orders')).toMatchObject({ status: 'done', done: 2, total: 2 });

      expect((await get()).status).toBe(401);
      const good = sessionToken(shop);
      const [h, , s] = good.split('.');
      const otherShop = Buffer.from(JSON.stringify({ iss: 'https://evil.myshopify.com/admin', dest: 'https://evil.myshopify.com', aud: APP_KEY, exp: Math.floor(Date.now() / 1000) + 60, nbf: 0 })).toString('base64url');
      const cases: Record<string, string> = {
        tampered: `${h}.${otherShop}.${s}`,
        expired: sessionToken(shop, { claims: { exp: Math.floor(Date.now() / 1000) - 60 } }),
        'not yet valid': sessionToken(shop, { claims: { nbf: Math.floor(Date.now() / 1000) + 600 } }),
        'other app': sessionToken(shop, { claims: { aud: 'someone-else' } }),
        'other secret': sessionToken(shop, { secret: 'shpss_not_this_apps_secret_000000' }),
        'dest not a shop': sessionToken(shop, { claims: { dest: 'https://evil.example.com', iss: 'https://evil.example.com/admin' } }),
        'iss and dest differ': sessionToken(shop, { claims: { iss: 'https://other-shop.myshopify.com/admin' } }),
        'not a jwt': 'abc.def',
      };
      for (const [name, token] of Object.entries(cases)) {
        const res = await get(token);
        expect([name, res.status]).toEqual([name, 401]);
        expect(res.body.data).toBeNull();
      }
    });
  });
});
