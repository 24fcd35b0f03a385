/**
 * Issue 15 §3: checkouts/create and update — a checkout left without an order for N hours
 * becomes one `checkout_abandoned` touchpoint (the abandoned-cart flow's trigger) naming the
 * products, with Shopify's recovery link; an order carrying the checkout's token — before or
 * after the checkout itself — means it was not abandoned; late, older deliveries change nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, shopifyCheckout, shopifyCustomer, shopifyOrder } from '../fixtures/shopify';
import { deliverInResponseShape } from '../helpers/shopify-webhooks';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const HOUR = 3_600_000;
let seq = 0;
const newShop = () => `moat-co-${Date.now().toString(36)}-${seq++}.myshopify.com`;
let nextId = 8_000_000 + Math.floor(Math.random() * 100_000);
const newId = () => nextId++;

describe('Shopify abandoned checkouts', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    // the sweep is driven by the test (a clock of its own), not by the timer
    app = await bootStrapi({ env: { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET, SHOPIFY_APP_URL: 'https://moat.example.com', MOAT_SHOPIFY_ABANDON_HOURS: '4', MOAT_SHOPIFY_ABANDON_SWEEP_MS: '0' } });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const knex = () => app.strapi.db.connection;
  const install = async () => {
    const shop = newShop();
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_checkouts');
    return shop;
  };
  const deliver = (shop: string, topic: string, payload: unknown, webhookId = randomUUID()) => deliverInResponseShape(app, shop, topic, payload, { webhookId });
  const sweep = (now: number): Promise<number> => app.strapi.plugin('shopify').service('checkouts').sweepAbandoned(now);
  const abandoned = async (shop: string) =>
    ((await knex()('moat_touchpoints').where({ site: shop, type: 'checkout_abandoned' })) as Array<{ properties: unknown; customer_id: string | null }>).map((t) => ({
      ...t,
      properties: (typeof t.properties === 'string' ? JSON.parse(t.properties) : t.properties) as Record<string, any>,
    }));

  it('a checkout left for longer than the wait is abandoned once, with the products by name and the recovery link', async () => {
    const shop = await install();
    const customer = shopifyCustomer(newId(), Date.now() - HOUR);
    const started = Date.now() - 60_000;
    const checkout = shopifyCheckout(newId(), customer, started, { line_items: [shopifyCheckout(0, customer, started).line_items[0]] });
    expect((await deliver(shop, 'checkouts/create', checkout)).body).toMatchObject({ status: 'processed', detail: { applied: true, completed: false } });
    // the buyer adds the second size a minute later: the checkout now holds both lines
    const updated = { ...checkout, updated_at: new Date(started + 60_000).toISOString(), line_items: shopifyCheckout(0, customer, started).line_items };
    const webhookId = randomUUID();
    for (let i = 0; i < 3; i++) expect((await deliver(shop, 'checkouts/update', updated, webhookId)).status).toBe(200);

    // three hours later it is still a checkout in progress
    await sweep(started + 3 * HOUR);
    expect(await abandoned(shop)).toHaveLength(0);
    // five hours later: abandoned, once, however often the sweep runs (two instances at once too)
    await Promise.all([sweep(started + 5 * HOUR), sweep(started + 5 * HOUR)]);
    await sweep(started + 6 * HOUR);
    const [touchpoint, ...more] = await abandoned(shop);
    expect(more).toHaveLength(0);
    expect(touchpoint.properties).toMatchObject({
      checkout_token: checkout.token,
      item_count: 2,
      total: '908.00',
      currency: 'EUR',
      recovery_url: checkout.abandoned_checkout_url,
      items: [
        { name: 'Stainless steel hex bolt M10 - 20 mm', sku: 'HB-M10-20', quantity: 2000, product_id: '9001', variant_id: '90011' },
        { name: 'Stainless steel hex bolt M10 - 40 mm', sku: 'HB-M10-40', quantity: 400, product_id: '9001', variant_id: '90012' },
      ],
    });
    // on the buyer's timeline: the CRM customer Shopify knows
    const crm = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { externalId: `shopify:${shop}:${customer.id}` } });
    expect(crm?.email).toBe(customer.email);
    expect(touchpoint.customer_id).toBe(crm?.documentId);
  });

  it('an order from the checkout, before or after the checkout arrives, means it was not abandoned', async () => {
    const shop = await install();
    const customer = shopifyCustomer(newId(), Date.now() - HOUR);
    const started = Date.now() - 60_000;
    const paidAfter = shopifyCheckout(newId(), customer, started);
    await deliver(shop, 'checkouts/create', paidAfter);
    await deliver(shop, 'orders/create', shopifyOrder(newId(), customer, started + 30_000, { checkout_token: paidAfter.token }));
    // out of order: the order first, its checkout's deliveries after it
    const paidBefore = shopifyCheckout(newId(), customer, started);
    await deliver(shop, 'orders/create', shopifyOrder(newId(), customer, started + 30_000, { checkout_token: paidBefore.token }));
    expect((await deliver(shop, 'checkouts/update', paidBefore)).body.detail).toEqual({ applied: true, completed: true });
    // and one the buyer really left
    const left = shopifyCheckout(newId(), customer, started);
    await deliver(shop, 'checkouts/create', left);

    await sweep(started + 5 * HOUR);
    expect((await abandoned(shop)).map((t) => t.properties.checkout_token)).toEqual([left.token]);
  });

  it('a late, older delivery does not overwrite the newer checkout; a checkout without any address is never abandoned', async () => {
    const shop = await install();
    const customer = shopifyCustomer(newId(), Date.now() - HOUR);
    const started = Date.now() - 60_000;
    const newer = shopifyCheckout(newId(), customer, started + 60_000, { total_price: '1116.00' });
    const older = { ...newer, updated_at: new Date(started).toISOString(), total_price: '700.00', line_items: newer.line_items.slice(0, 1) };
    expect((await deliver(shop, 'checkouts/update', newer)).body.detail.applied).toBe(true);
    expect((await deliver(shop, 'checkouts/create', older)).body.detail.applied).toBe(false);
    const anonymous = shopifyCheckout(newId(), customer, started, { email: null, customer: null });
    await deliver(shop, 'checkouts/create', anonymous);

    await sweep(started + 5 * HOUR);
    const found = await abandoned(shop);
    expect(found.map((t) => t.properties.checkout_token)).toEqual([newer.token]);
    expect(found[0].properties).toMatchObject({ total: '1116.00', item_count: 2 });
  });

  it('refuses a checkout without its token with a 400 naming it, storing nothing', async () => {
    const shop = await install();
    const { token: _token, ...broken } = shopifyCheckout(newId(), shopifyCustomer(newId(), Date.now()), Date.now());
    const res = await deliver(shop, 'checkouts/create', broken);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/token/);
    expect(await knex()('shopify_checkouts').where({ shop })).toHaveLength(0);
  });
});
