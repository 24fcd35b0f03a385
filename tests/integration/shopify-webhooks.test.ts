import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, shopifyCustomer, shopifyOrder, shopifyProduct } from '../fixtures/shopify';
import { adminJwt, createAdminWithRole, createSuperAdmin } from '../helpers/admin';
import { REDIS_URL, startRedisServer, uniqueQueuePrefix } from '../helpers/redis';
import { deliverProcessed, postWebhook, waitForWebhook } from '../helpers/shopify-webhooks';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const SHOPIFY_ENV = { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET, SHOPIFY_APP_URL: 'https://moat.example.com' };
let seq = 0;
/** a fresh installed-looking shop per test: tests never share rows */
const newShop = () => `moat-test-${Date.now().toString(36)}-${seq++}.myshopify.com`;
let nextId = 7_000_000 + Math.floor(Math.random() * 100_000);
const newId = () => nextId++;

describe('Shopify webhooks', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    // processed from BullMQ on the real Redis, under a prefix of this file's own
    app = await bootStrapi({ env: { ...SHOPIFY_ENV, MOAT_SHOPIFY_QUEUE: 'bullmq', MOAT_SHOPIFY_REDIS_URL: REDIS_URL, MOAT_QUEUE_PREFIX: uniqueQueuePrefix(), MOAT_WORKERS: '1' } });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const knex = () => app.strapi.db.connection;
  const install = async (shop = newShop()) => {
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_products');
    return shop;
  };
  const deliver = (shop: string, topic: string, payload: unknown, options: Parameters<typeof postWebhook>[4] = {}) => postWebhook(app, shop, topic, payload, options);
  /** delivers and waits until a worker has processed it */
  const processed = (shop: string, topic: string, payload: unknown, options: Parameters<typeof postWebhook>[4] = {}) => deliverProcessed(app, shop, topic, payload, options);
  const webhooks = () => app.strapi.plugin('shopify').service('webhooks');
  const productRow = (shop: string, id: number) => knex()('shopify_products').where({ shop, product_id: String(id) }).first();
  const deliveries = (shop: string) => knex()('shopify_webhook_deliveries').where({ shop });
  const touchpointsOf = (shop: string) => knex()('moat_touchpoints').where({ channel: 'shopify', site: shop }).orderBy('dedupe_key');
  const customerByExternalId = (shop: string, id: number) => app.strapi.documents('plugin::crm.customer').findFirst({ filters: { externalId: `shopify:${shop}:${id}` } });

  it('stores a signed products/create once when Shopify delivers it three times (sequentially and at once)', async () => {
    const shop = await install();
    const id = newId();
    const payload = shopifyProduct(id, Date.now() - 60_000);
    const webhookId = randomUUID();
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await deliver(shop, 'products/create', payload, { webhookId })).body.status);
    // answered as recorded; the copies as duplicates
    expect(statuses).toEqual(['received', 'duplicate', 'duplicate']);
    expect(await waitForWebhook(app.strapi, webhookId)).toMatchObject({ status: 'processed', attempts: 1, error: null, detail: { applied: true } });
    // how fast a delivery is acknowledged (Shopify waits 5 s): printed, not asserted
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      await deliver(shop, 'products/update', shopifyProduct(id, Date.now() - 50_000 + i));
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    console.log(`shopify webhook ack (${app.database.client}, products/update, 20 deliveries): median ${times[10].toFixed(1)} ms, max ${times[19].toFixed(1)} ms`);
    await webhooks().idle();
    expect((await deliveries(shop)).map((d) => d.status)).toEqual(Array(21).fill('processed'));
    const row = await productRow(shop, id);
    expect(Number(row.source_updated_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(row).toMatchObject({ handle: 'stainless-steel-hex-bolt-m10', title: 'Stainless steel hex bolt M10', status: 'active', vendor: 'Ningbo Fasteners' });
    expect(Number(row.price_min)).toBe(0.35);
    expect(Number(row.price_max)).toBe(0.52);
    expect(JSON.parse(row.variants)).toEqual([
      { id: String(id * 10 + 1), title: '20 mm', sku: 'HB-M10-20', price: 0.35, compare_at_price: null, inventory_quantity: 12000 },
      { id: String(id * 10 + 2), title: '40 mm', sku: 'HB-M10-40', price: 0.52, compare_at_price: 0.6, inventory_quantity: 8000 },
    ]);
    expect(JSON.parse(row.images)[0]).toMatchObject({ src: expect.stringContaining(`bolt-${id}.jpg`), alt: 'Hex bolt', width: 1200 });
    expect(await deliveries(shop)).toHaveLength(21);

    // three copies of an order delivery at the same moment: one order_placed touchpoint
    const order = shopifyOrder(newId(), shopifyCustomer(newId(), Date.now() - 30_000), Date.now() - 20_000);
    const orderDelivery = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => deliver(shop, 'orders/create', order, { webhookId: orderDelivery })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.status).sort()).toEqual(['duplicate', 'duplicate', 'received']);
    expect(await waitForWebhook(app.strapi, orderDelivery)).toMatchObject({ status: 'processed', attempts: 1 });
    expect((await touchpointsOf(shop)).map((t) => t.type)).toEqual(['order_placed']);
    // a payload is kept only until its delivery is processed
    expect((await deliveries(shop)).filter((d) => d.payload !== null)).toEqual([]);
  });

  it('puts orders and customers on the timeline with the CRM customer (line items by product name)', async () => {
    const shop = await install();
    const customer = shopifyCustomer(newId(), Date.now() - 50_000);
    expect(await processed(shop, 'customers/create', customer)).toMatchObject({ status: 'processed', detail: { recorded: ['identify'], applied: true } });
    const crm = await customerByExternalId(shop, customer.id);
    expect(crm).toMatchObject({ email: customer.email, name: 'Lena Hoffmann' });
    const order = shopifyOrder(newId(), customer, Date.now() - 10_000, { fulfillment_status: 'fulfilled', financial_status: 'paid' });
    const res = await processed(shop, 'orders/fulfilled', order);
    expect(res.detail?.recorded.sort()).toEqual(['order_fulfilled', 'order_placed']);
    const placed = (await touchpointsOf(shop)).find((t) => t.type === 'order_placed');
    expect(placed.customer_id).toBe(crm?.documentId);
    const properties = typeof placed.properties === 'string' ? JSON.parse(placed.properties) : placed.properties;
    expect(properties).toMatchObject({ order_id: String(order.id), order_number: order.name, total: '908.00', currency: 'EUR', item_count: 2, store: shop });
    expect(properties.items[0]).toEqual({ name: 'Stainless steel hex bolt M10 - 20 mm', sku: 'HB-M10-20', quantity: 2000, price: '0.35', product_id: '9001', variant_id: '90011' });
  });

  it('refuses a bad or missing HMAC with 401 and stores nothing', async () => {
    const shop = await install();
    const id = newId();
    const payload = shopifyProduct(id, Date.now());
    const tampered = await deliver(shop, 'products/create', payload, { body: JSON.stringify({ ...payload, title: 'Forged' }) });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.message).toMatch(/does not match/);
    const missing = await deliver(shop, 'products/create', payload, { headers: { 'X-Shopify-Hmac-Sha256': undefined } });
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/missing/);
    const otherSecret = await deliver(shop, 'products/create', payload, { headers: { 'X-Shopify-Hmac-Sha256': 'bm90IHRoZSByaWdodCBzaWduYXR1cmUgYXQgYWxsIQ==' } });
    expect(otherSecret.status).toBe(401);
    expect(await productRow(shop, id)).toBeUndefined();
    expect(await deliveries(shop)).toEqual([]);
  });

  it('refuses unknown shops (401), malformed payloads and headers (400), and stores nothing; a fixed payload is then accepted', async () => {
    const unknown = newShop();
    const id = newId();
    expect((await deliver(unknown, 'products/create', shopifyProduct(id, Date.now()))).status).toBe(401);
    const shop = await install();
    const webhookId = randomUUID();
    const bad = await deliver(shop, 'products/create', { ...shopifyProduct(id, Date.now()), id: 'not-a-number' }, { webhookId });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/id/);
    expect((await deliver(shop, 'products/create', shopifyProduct(id, Date.now()), { headers: { 'X-Shopify-Shop-Domain': 'evil.example.com' } })).status).toBe(400);
    const notJson = '{"id": 1,';
    expect((await deliver(shop, 'products/create', {}, { body: notJson, headers: { 'X-Shopify-Hmac-Sha256': (await import('../fixtures/shopify')).webhookHmac(notJson) } })).status).toBe(400);
    expect(await deliveries(shop)).toEqual([]);
    // the failed delivery's id was not kept: Shopify's retry with a correct payload is processed
    expect((await processed(shop, 'products/create', shopifyProduct(id, Date.now()), { webhookId })).status).toBe('processed');
  });

  it('ends in the same state when deliveries arrive out of order (update before create, delete first, order milestones reversed)', async () => {
    const t0 = Date.now() - 600_000;
    async function scenario(reverse: boolean) {
      const shop = await install();
      const productId = newId();
      const customer = shopifyCustomer(newId(), t0);
      const customerUpdate = { ...customer, updated_at: new Date(t0 + 60_000).toISOString(), first_name: 'Lena Marie', phone: '+4915199999999' };
      const order = shopifyOrder(newId(), customer, t0 + 120_000);
      const paid = { ...order, financial_status: 'paid', updated_at: new Date(t0 + 180_000).toISOString() };
      const fulfilled = { ...paid, fulfillment_status: 'fulfilled', updated_at: new Date(t0 + 240_000).toISOString() };
      const steps: Array<[string, unknown, number]> = [
        ['products/create', shopifyProduct(productId, t0), t0],
        ['products/update', shopifyProduct(productId, t0 + 30_000, { title: 'Hex bolt M10 (A4)', variants: [] }), t0 + 30_000],
        ['customers/create', customer, t0],
        ['customers/update', customerUpdate, t0 + 60_000],
        ['orders/create', order, t0 + 120_000],
        ['orders/paid', paid, t0 + 180_000],
        ['orders/fulfilled', fulfilled, t0 + 240_000],
      ];
      for (const [topic, payload, at] of reverse ? [...steps].reverse() : steps) {
        expect((await processed(shop, topic, payload, { triggeredAt: at })).status).toBe('processed');
      }
      const product = await productRow(shop, productId);
      const crm = await customerByExternalId(shop, customer.id);
      const timeline = (await touchpointsOf(shop)).map((t) => ({
        type: t.type,
        occurred_at: Number(t.occurred_at),
        customer: t.customer_id === crm?.documentId,
        properties: typeof t.properties === 'string' ? JSON.parse(t.properties) : t.properties,
        key: String(t.dedupe_key).replace(shop, 'SHOP').replace(String(order.id), 'ORDER').replace(String(customer.id), 'CUSTOMER'),
      }));
      for (const t of timeline) t.properties.store = 'SHOP';
      for (const t of timeline) if (t.properties.order_id) Object.assign(t.properties, { order_id: 'ORDER', order_number: t.properties.order_number === order.name ? 'NAME' : t.properties.order_number });
      for (const t of timeline) if (t.properties.customer_id) t.properties.customer_id = 'CUSTOMER';
      return {
        product: { title: product.title, handle: product.handle, variants: product.variants, price_min: product.price_min, updated: Number(product.source_updated_at) },
        customer: { name: crm?.name, phone: crm?.phone, company: crm?.company, email: crm?.email?.replace(String(customer.id), 'ID') },
        timeline,
      };
    }
    const inOrder = await scenario(false);
    const reversed = await scenario(true);
    expect(reversed).toEqual(inOrder);
    expect(inOrder.product).toMatchObject({ title: 'Hex bolt M10 (A4)', variants: '[]', updated: t0 + 30_000 });
    expect(inOrder.customer).toMatchObject({ name: 'Lena Marie Hoffmann', phone: '+4915199999999' });
    expect(inOrder.timeline.map((t) => t.type)).toEqual(['identify', 'order_fulfilled', 'order_placed']);

    // a delete, then the older create arriving late: the product stays deleted
    const shop = await install();
    const id = newId();
    await processed(shop, 'products/delete', { id }, { triggeredAt: t0 + 90_000 });
    await processed(shop, 'products/create', shopifyProduct(id, t0), { triggeredAt: t0 });
    expect(Number((await productRow(shop, id)).deleted_at)).toBe(t0 + 90_000);
  });

  it('app/uninstalled marks the shop, deletes its sessions, and later webhooks are acknowledged and ignored', async () => {
    const shop = await install();
    const id = newId();
    await processed(shop, 'products/create', shopifyProduct(id, Date.now() - 60_000));
    await knex()('shopify_sessions').insert({ id: `offline_${shop}`, shop, is_online: false, access_token_enc: 'v1.x.y.z', updated_at: Date.now() });
    const res = await processed(shop, 'app/uninstalled', { id: 1, name: 'Test', myshopify_domain: shop, domain: shop });
    expect(res).toMatchObject({ status: 'processed', topic: 'app/uninstalled' });
    expect(await knex()('shopify_sessions').where({ shop })).toEqual([]);
    expect((await knex()('shopify_shops').where({ shop }).first()).uninstalled_at).not.toBeNull();
    const later = await deliver(shop, 'products/update', shopifyProduct(id, Date.now(), { title: 'After uninstall' }));
    expect(later.status).toBe(200);
    expect(later.body).toMatchObject({ status: 'ignored', reason: 'the shop uninstalled the app' });
    expect(await webhooks().get(later.body.webhookId)).toMatchObject({ status: 'ignored', result: { reason: 'the shop uninstalled the app' } });
    expect((await productRow(shop, id)).title).toBe('Stainless steel hex bolt M10');
  });

  it('processes the compliance topics (shopify-compliance.test.ts has the details) and refuses them unsigned', async () => {
    const shop = await install();
    const payload = { shop_id: 1, shop_domain: shop, customer: { id: 5, email: 'a@example.com', phone: null }, orders_to_redact: [] };
    expect(await processed(shop, 'customers/redact', payload)).toMatchObject({ status: 'processed', topic: 'customers/redact' });
    expect((await deliver(shop, 'customers/redact', payload, { headers: { 'X-Shopify-Hmac-Sha256': undefined } })).status).toBe(401);
  });
  it('a failed delivery shows its error and attempts; an admin with the permission retries it and it is processed once', async () => {
    const shop = await install();
    const id = newId();
    const webhookId = randomUUID();
    // as a delivery that used up its attempts (say the database was down) is left: failed, payload kept
    const now = Date.now();
    await knex()('shopify_webhook_deliveries').insert({ webhook_id: webhookId, shop, topic: 'products/create', status: 'failed', payload: JSON.stringify(shopifyProduct(id, now - 1_000)), triggered_at: now - 1_000, attempts: 8, error: 'connection refused', received_at: now, updated_at: now });
    const admin = { Authorization: `Bearer ${await adminJwt(app.request, await createSuperAdmin(app.strapi))}` };
    const list = await app.request.get(`/shopify/webhooks?shop=${shop}&status=failed`).set(admin);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([expect.objectContaining({ webhookId, status: 'failed', attempts: 8, error: 'connection refused', topic: 'products/create' })]);
    expect(list.body.data[0].payload).toBeUndefined();
    expect(list.body.meta.counts).toMatchObject({ failed: 1, processed: 0 });

    const editor = { Authorization: `Bearer ${await adminJwt(app.request, await createAdminWithRole(app.strapi, 'strapi-editor'))}` };
    expect((await app.request.post(`/shopify/webhooks/${webhookId}/retry`).set(editor)).status).toBe(403);
    expect((await app.request.post(`/shopify/webhooks/${randomUUID()}/retry`).set(admin)).status).toBe(404);
    expect((await app.request.post('/shopify/webhooks/bad%20id/retry').set(admin)).status).toBe(400);
    expect((await app.request.get('/shopify/webhooks?status=lost').set(admin)).status).toBe(400);
    const retried = await app.request.post(`/shopify/webhooks/${webhookId}/retry`).set(admin);
    expect(retried.status).toBe(202);
    expect(await waitForWebhook(app.strapi, webhookId)).toMatchObject({ status: 'processed', attempts: 9, error: null });
    expect((await productRow(shop, id)).title).toBe('Stainless steel hex bolt M10');
    // processed: nothing to retry any more
    expect((await app.request.post(`/shopify/webhooks/${webhookId}/retry`).set(admin)).status).toBe(409);
  });

  it('retention: processed and ignored deliveries older than 30 days go; failed, waiting and recent ones stay', async () => {
    const shop = await install();
    const DAY = 86_400_000;
    const now = Date.now();
    const rows = [
      ['old-processed', 'processed', now - 31 * DAY],
      ['old-ignored', 'ignored', now - 40 * DAY],
      ['old-failed', 'failed', now - 60 * DAY],
      ['old-received', 'received', now - 45 * DAY],
      ['recent-processed', 'processed', now - 29 * DAY],
    ] as const;
    await knex()('shopify_webhook_deliveries').insert(
      rows.map(([id, status, at]) => ({ webhook_id: `${shop}-${id}`, shop, topic: 'orders/create', status, received_at: at, updated_at: at, attempts: 1, ...(status === 'failed' ? { error: 'boom', payload: '{}' } : {}) })),
    );
    const removed = await app.strapi.plugin('shopify').service('webhooks').prune(now);
    expect(removed).toBeGreaterThanOrEqual(2);
    const left = (await knex()('shopify_webhook_deliveries').where({ shop }).orderBy('webhook_id').select('webhook_id')).map((r: { webhook_id: string }) => r.webhook_id.slice(shop.length + 1));
    expect(left).toEqual(['old-failed', 'old-received', 'recent-processed']);
  });
});

/**
 * A web instance that only records and enqueues (MOAT_WORKERS=0, as beside `npm run worker`),
 * then a worker instance on the same database (one Strapi per process at a time: the admin
 * keeps its actions per process), with a Redis server of this test's own so that FLUSHALL
 * wipes nothing another test uses.
 */
describe('Shopify webhooks: answered before processing, recovered after Redis loses its jobs', () => {
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  let web: BootedStrapi;
  let webStopped = false;
  let worker: BootedStrapi | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
    web = await bootStrapi({ env: { ...SHOPIFY_ENV, MOAT_SHOPIFY_QUEUE: 'bullmq', MOAT_SHOPIFY_REDIS_URL: redis.url, MOAT_QUEUE_PREFIX: 'moat', MOAT_WORKERS: '0' } });
  });
  afterAll(async () => {
    await worker?.destroy();
    // the worker shared the web instance's database: dropped here, once both are down
    if (webStopped) await web?.database.drop();
    else await web?.destroy();
    await redis?.stop();
  });

  it('a delivery is answered 200 and stays received while no worker runs; after FLUSHALL the worker reconciler processes it exactly once', async () => {
    const shop = `moat-flush-${Date.now().toString(36)}.myshopify.com`;
    await web.strapi.plugin('shopify').service('shops').install(shop, 'read_orders');
    const order = shopifyOrder(newId(), shopifyCustomer(newId(), Date.now() - 30_000), Date.now() - 20_000);
    const webhookId = randomUUID();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await postWebhook(web, shop, 'orders/create', order, { webhookId }));
    expect(answers.map((a) => [a.status, a.body.status])).toEqual([
      [200, 'received'],
      [200, 'duplicate'],
      [200, 'duplicate'],
    ]);
    const row = (app: BootedStrapi) => app.strapi.db.connection('shopify_webhook_deliveries').where({ webhook_id: webhookId }).first();
    expect(await row(web)).toMatchObject({ status: 'received', attempts: 0 });
    expect(await web.strapi.db.connection('moat_touchpoints').where({ site: shop })).toEqual([]);

    // the job is in Redis; FLUSHALL loses it
    const client = new IORedis(redis.url);
    try {
      expect((await client.keys('moat:moat-shopify-webhooks:*')).length).toBeGreaterThan(0);
      await client.flushall();
      expect(await client.dbsize()).toBe(0);
    } finally {
      client.disconnect();
    }

    // the web instance stops; a worker instance starts: its reconciler finds the recorded delivery and enqueues it again
    await web.strapi.destroy();
    webStopped = true;
    worker = await bootStrapi({ database: web.database, env: { ...SHOPIFY_ENV, MOAT_SHOPIFY_QUEUE: 'bullmq', MOAT_SHOPIFY_REDIS_URL: redis.url, MOAT_QUEUE_PREFIX: 'moat', MOAT_WORKERS: '1' } });
    expect(await waitForWebhook(worker.strapi, webhookId)).toMatchObject({ status: 'processed', attempts: 1, error: null, detail: { recorded: ['order_placed'] } });
    // enqueued again (a second reconcile, Shopify's copy): nothing runs twice
    expect(await worker.strapi.plugin('shopify').service('webhooks').reconcile(0)).toBe(0);
    expect((await postWebhook(worker, shop, 'orders/create', order, { webhookId })).body.status).toBe('duplicate');
    await worker.strapi.plugin('shopify').service('webhooks').idle();
    expect((await worker.strapi.db.connection('moat_touchpoints').where({ site: shop })).map((t: { type: string }) => t.type)).toEqual(['order_placed']);
    expect(await row(worker)).toMatchObject({ status: 'processed', attempts: 1, payload: null });
  });
});
