import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryId, phpJson, wooCustomer, wooHeaders, wooOrder, wooSign } from '../fixtures/woocommerce';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { newId, touchpointsOf } from '../helpers/tracking';

const SITE = 'woo_shop';
const SECRET = 'c2f1a8e0d4b7c6e5f3a2b1c0d9e8f7a6';
const URL = `/api/tracking/v1/woocommerce/${SITE}`;

let nextId = 4000 + Math.floor(Math.random() * 1000);
const orderId = () => nextId++;
const emailOf = (prefix: string) => `${newId(prefix).toLowerCase().replace(/[^a-z0-9]/g, '')}@example.com`;

describe('WooCommerce webhooks', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_WOOCOMMERCE_SECRETS: `${SITE}=${SECRET};other_shop=${'x'.repeat(32)}` } });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  /** One delivery, byte for byte as WooCommerce sends it. */
  const deliver = (topic: string, payload: unknown, options: { delivery?: string; headers?: Record<string, string | undefined>; body?: string; url?: string } = {}) => {
    const body = options.body ?? phpJson(payload);
    const headers = { ...wooHeaders(topic, body, SECRET, options.delivery), ...options.headers };
    const req = app.request.post(options.url ?? URL);
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) req.set(name, value);
    return req.send(body);
  };
  const ordersOf = (id: number) => app.strapi.db.connection('moat_touchpoints').where({ channel: 'woocommerce' }).whereLike('dedupe_key', `woocommerce:${SITE}:order:${id}:%`);
  const customerByEmail = (email: string) => app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email } });

  it('puts a signed order.created on the customer timeline once, with line items and total', async () => {
    const email = emailOf('buyer');
    const id = orderId();
    const res = await deliver('order.created', wooOrder({ id, email, customerId: 57 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'stored', topic: 'order.created', recorded: ['order_placed'] });
    const customer = await customerByEmail(email);
    expect(customer).toMatchObject({ name: 'Jürgen Weiß', phone: '+49401234567', company: 'Weiß Gastro GmbH', externalId: `woocommerce:${SITE}:57` });
    expect(customer?.unverifiedTraits ?? []).toEqual([]);
    const rows = await touchpointsOf(app.strapi, { customer_id: customer?.documentId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'order_placed', channel: 'woocommerce', site: SITE, occurred_at: Date.parse('2026-11-20T09:15:02Z') });
    expect(rows[0].properties).toMatchObject({
      order_id: String(id),
      order_number: String(id),
      status: 'processing',
      total: 607.85,
      currency: 'EUR',
      item_count: 2,
      items: [
        { name: 'Bamboo serving tray – large', sku: 'BT-L', quantity: 300, price: 1.4, product_id: '7001', variant_id: '7003' },
        { name: 'Teak cutting board', sku: 'TCB-01', quantity: 20, price: 3.5, product_id: '7010', variant_id: null },
      ],
    });
    // nothing of the payload beyond what the timeline needs (no IP, no user agent, no order key)
    expect(JSON.stringify(rows[0].properties)).not.toMatch(/203\.0\.113|wc_order_|Mozilla/);
    // the admin timeline shows it
    const timeline = await app.strapi.plugin('tracking').service('timeline').list(customer?.documentId, { limit: 10 });
    expect(timeline.items.map((t: { type: string }) => t.type)).toEqual(['order_placed']);
  });

  it('answers a replayed delivery "duplicate" and stores nothing twice; a new delivery of the same order does not count it again', async () => {
    const email = emailOf('replay');
    const id = orderId();
    const payload = wooOrder({ id, email });
    const delivery = deliveryId();
    expect((await deliver('order.created', payload, { delivery })).body.status).toBe('stored');
    for (let i = 0; i < 3; i++) {
      const again = await deliver('order.created', payload, { delivery });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ status: 'duplicate' });
    }
    // WooCommerce follows order.created with order.updated (new delivery id, same status)
    const updated = await deliver('order.updated', payload);
    expect(updated.body).toMatchObject({ status: 'duplicate', recorded: [] });
    expect(await ordersOf(id)).toHaveLength(1);
    const deliveries = await app.strapi.db.connection('moat_webhook_deliveries').where({ delivery_id: delivery });
    expect(deliveries).toHaveLength(1);
    // a replayed profile update runs nothing either (it stores no touchpoint to dedupe on)
    const profile = deliveryId();
    const customer = wooCustomer(902, email);
    expect((await deliver('customer.updated', customer, { delivery: profile })).body).toMatchObject({ status: 'stored' });
    expect((await deliver('customer.updated', customer, { delivery: profile })).body).toEqual({ status: 'duplicate', topic: 'customer.updated' });
  });

  it('refuses a forged or missing signature with 401 and stores nothing', async () => {
    const email = emailOf('forged');
    const id = orderId();
    const body = phpJson(wooOrder({ id, email }));
    const forged = await deliver('order.created', null, { body, headers: { 'X-WC-Webhook-Signature': wooSign(body, 'not-the-secret-0123456789') } });
    expect(forged.status).toBe(401);
    expect(forged.body.error.message).toMatch(/signature/i);
    // signed with the right secret, then altered (the total)
    const tampered = await deliver('order.created', null, { body: body.replace('"607.85"', '"1.00"'), headers: { 'X-WC-Webhook-Signature': wooSign(body, SECRET) } });
    expect(tampered.status).toBe(401);
    // another store's secret does not sign for this one
    const crossStore = await deliver('order.created', null, { body, headers: { 'X-WC-Webhook-Signature': wooSign(body, 'x'.repeat(32)) } });
    expect(crossStore.status).toBe(401);
    const missing = await deliver('order.created', null, { body, headers: { 'X-WC-Webhook-Signature': undefined } });
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(/X-WC-Webhook-Signature is missing/);
    expect(await ordersOf(id)).toHaveLength(0);
    expect(await customerByEmail(email)).toBeNull();
  });

  it('checks the signature over the raw bytes: the same JSON re-encoded does not verify', async () => {
    const id = orderId();
    const payload = wooOrder({ id, email: emailOf('raw') });
    const php = phpJson(payload);
    // JSON.stringify writes "/" and "ü" unescaped: same data, other bytes, other signature
    const res = await deliver('order.created', null, { body: JSON.stringify(payload), headers: { 'X-WC-Webhook-Signature': wooSign(php, SECRET) } });
    expect(res.status).toBe(401);
    expect(await ordersOf(id)).toHaveLength(0);
  });

  it('answers malformed JSON and a malformed order with 400 and a message, even when signed', async () => {
    const bad = await deliver('order.created', null, { body: '{"id": 12, "status": "processing",' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/not valid JSON/);
    const noItems = await deliver('order.created', { ...wooOrder({ id: orderId(), email: emailOf('bad') }), line_items: 'none', total: 'lots' });
    expect(noItems.status).toBe(400);
    expect(noItems.body.error.message).toMatch(/total/);
    expect(noItems.body.error.message).toMatch(/line_items/);
    const noDelivery = await deliver('order.created', wooOrder({ id: orderId(), email: emailOf('bad') }), { headers: { 'X-WC-Webhook-Delivery-ID': undefined } });
    expect(noDelivery.status).toBe(400);
    expect(noDelivery.body.error.message).toMatch(/X-WC-Webhook-Delivery-ID/);
  });

  it("answers WooCommerce's ping with 200 and stores nothing", async () => {
    const before = await app.strapi.db.connection('moat_touchpoints').count({ n: '*' }).first();
    const deliveriesBefore = await app.strapi.db.connection('moat_webhook_deliveries').count({ n: '*' }).first();
    // WC_Webhook::deliver_ping: wp_safe_remote_post with a form-encoded body, no X-WC-* headers
    const ping = await app.request
      .post(URL)
      .set('User-Agent', 'WooCommerce/9.8.5 Hookshot (WordPress/6.8.1)')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('webhook_id=7');
    expect(ping.status).toBe(200);
    expect(ping.body).toEqual({ status: 'ping' });
    expect(await app.strapi.db.connection('moat_touchpoints').count({ n: '*' }).first()).toEqual(before);
    expect(await app.strapi.db.connection('moat_webhook_deliveries').count({ n: '*' }).first()).toEqual(deliveriesBefore);
  });

  it('creates the CRM customer from customer.created with name, phone and company, verified', async () => {
    const email = emailOf('signup');
    const res = await deliver('customer.created', wooCustomer(901, email));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'stored', recorded: ['identify'] });
    const customer = await customerByEmail(email);
    expect(customer).toMatchObject({
      name: 'Amélie Durand',
      phone: '+33123456789',
      company: 'Durand Hôtellerie SARL',
      externalId: `woocommerce:${SITE}:901`,
      firstSource: 'woocommerce',
    });
    expect(customer?.unverifiedTraits ?? []).toEqual([]);
    // a profile edit updates the CRM, not the timeline
    const updated = await deliver('customer.updated', wooCustomer(901, email));
    expect(updated.body).toMatchObject({ status: 'stored', customerId: customer?.documentId, recorded: [] });
    const rows = await touchpointsOf(app.strapi, { customer_id: customer?.documentId });
    expect(rows.map((r) => [r.type, r.channel])).toEqual([['identify', 'woocommerce']]);
    expect(rows[0].occurred_at).toBe(Date.parse('2026-11-19T15:02:11Z'));
  });

  it('records order_fulfilled once when an order becomes completed; a pending order is placed only once paid', async () => {
    const email = emailOf('fulfil');
    const id = orderId();
    const pending = await deliver('order.created', wooOrder({ id, email, status: 'pending' }));
    expect(pending.body).toMatchObject({ status: 'ignored', recorded: [] });
    expect(await ordersOf(id)).toHaveLength(0);
    expect((await deliver('order.updated', wooOrder({ id, email, status: 'processing' }))).body.recorded).toEqual(['order_placed']);
    const completed = wooOrder({ id, email, status: 'completed', completed: '2026-11-22T08:00:00' });
    const first = await deliver('order.updated', completed);
    expect(first.body).toMatchObject({ status: 'stored', recorded: ['order_fulfilled'] });
    // WooCommerce sends order.updated again on every later save (a note, a tracking number)
    expect((await deliver('order.updated', completed)).body).toMatchObject({ status: 'duplicate', recorded: [] });
    const rows = (await ordersOf(id)).map((r: { type: string; occurred_at: number | string }) => [r.type, Number(r.occurred_at)]);
    expect(rows.sort()).toEqual([
      ['order_fulfilled', Date.parse('2026-11-22T08:00:00Z')],
      ['order_placed', Date.parse('2026-11-20T09:15:02Z')],
    ]);
    const customer = await customerByEmail(email);
    const timeline = await touchpointsOf(app.strapi, { customer_id: customer?.documentId });
    expect(timeline.map((r) => r.type)).toEqual(['order_placed', 'order_fulfilled']);
    expect(timeline[1].properties).toMatchObject({ status: 'completed', total: 607.85 });
  });

  it('an order first seen completed (entered in the admin) is placed and fulfilled', async () => {
    const id = orderId();
    const res = await deliver('order.created', wooOrder({ id, email: emailOf('admin'), status: 'completed', completed: '2026-11-21T12:00:00' }));
    expect(res.body).toMatchObject({ status: 'stored', recorded: ['order_placed', 'order_fulfilled'] });
  });

  it('keeps an order whose billing email the CRM would refuse: on the registered customer, or anonymous for a guest', async () => {
    const registered = orderId();
    const base = wooOrder({ id: registered, email: 'juergen..weiss@example.com', customerId: 77 });
    const long = { ...base, billing: { ...base.billing, first_name: 'A'.repeat(200), last_name: 'B'.repeat(200), company: 'C'.repeat(300) } };
    const res = await deliver('order.created', long);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'stored', recorded: ['order_placed'] });
    const customer = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { externalId: `woocommerce:${SITE}:77` } });
    expect(customer?.email ?? null).toBeNull();
    expect(customer?.name).toHaveLength(255);
    expect(customer?.company).toHaveLength(255);
    expect(res.body.customerId).toBe(customer?.documentId);
    const guest = orderId();
    const anonymous = await deliver('order.created', wooOrder({ id: guest, email: 'no-at-sign' }));
    expect(anonymous.body).toMatchObject({ status: 'stored', customerId: null });
    expect(await ordersOf(guest)).toHaveLength(1);
  });

  it('answers 503 when the store fails, and takes the same delivery again afterwards', async () => {
    const customers = app.strapi.plugin('crm').service('customers') as { identify: (...args: unknown[]) => Promise<unknown> };
    const identify = customers.identify;
    customers.identify = async () => {
      throw new Error('database is down');
    };
    const id = orderId();
    const delivery = deliveryId();
    const payload = wooOrder({ id, email: emailOf('retry') });
    try {
      const failed = await deliver('order.created', payload, { delivery });
      expect(failed.status).toBe(503);
      expect(failed.body.error.message).not.toMatch(/database is down/);
    } finally {
      customers.identify = identify;
    }
    expect(await ordersOf(id)).toHaveLength(0);
    expect((await deliver('order.created', payload, { delivery })).body).toMatchObject({ status: 'stored', recorded: ['order_placed'] });
  });

  it('acknowledges product topics without storing; 404 for an unknown store, 413 over 1 MB, 405 for GET', async () => {
    const product = await deliver('product.updated', { id: 7001, name: 'Bamboo serving tray', sku: 'BT', price: '1.40' });
    expect(product.status).toBe(200);
    expect(product.body).toMatchObject({ status: 'ignored', topic: 'product.updated' });
    const unknown = await deliver('order.created', wooOrder({ id: orderId(), email: emailOf('x') }), { url: '/api/tracking/v1/woocommerce/nope_shop' });
    expect(unknown.status).toBe(404);
    const big = phpJson({ ...wooOrder({ id: orderId(), email: emailOf('big') }), customer_note: 'x'.repeat(1024 * 1024) });
    const tooLarge = await deliver('order.created', null, { body: big });
    expect(tooLarge.status).toBe(413);
    expect((await app.request.get(URL)).status).toBe(405);
  });
});
