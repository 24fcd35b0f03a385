/**
 * Order totals on the customer: orders arriving from a Shopify webhook (totals as strings), a
 * signed WooCommerce webhook and the server-side API each count once on the buyer's
 * ordersCount / totalSpent / firstOrderAt / lastOrderAt / currency; a replayed delivery counts
 * nothing twice; a merge moves the totals with the orders; the tier follows the spend; and
 * insights' revenue and the campaign report read the same worth for a Shopify order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, shopifyCustomer, shopifyOrder } from '../fixtures/shopify';
import { phpJson, wooHeaders, wooOrder } from '../fixtures/woocommerce';
import { CUSTOMER } from '../helpers/crm-engage';
import { deliverProcessed } from '../helpers/shopify-webhooks';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { createApiToken, newId } from '../helpers/tracking';
import { until } from '../helpers/until';

const WOO_SITE = 'orders_woo';
const WOO_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let seq = 0;
const newShop = () => `moat-orders-${Date.now().toString(36)}-${seq++}.myshopify.com`;
let nextId = 8_000_000 + Math.floor(Math.random() * 100_000);
const nextNumber = () => nextId++;

describe('CRM order totals', () => {
  let app: BootedStrapi;
  let token: string;
  beforeAll(async () => {
    app = await bootStrapi({
      env: { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET, SHOPIFY_APP_URL: 'https://moat.example.com', MOAT_WOOCOMMERCE_SECRETS: `${WOO_SITE}=${WOO_SECRET}`, MOAT_INSIGHTS_REFRESH_MS: '0' },
    });
    token = await createApiToken(app.strapi);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const customerByEmail = async (email: string) => (await app.strapi.documents(CUSTOMER).findFirst({ filters: { email } })) as Record<string, any> | null;
  const totals = (c: Record<string, any> | null) =>
    c && {
      ordersCount: c.ordersCount,
      totalSpent: Number(c.totalSpent),
      firstOrderAt: c.firstOrderAt && new Date(c.firstOrderAt).toISOString(),
      lastOrderAt: c.lastOrderAt && new Date(c.lastOrderAt).toISOString(),
      currency: c.currency,
    };
  const track = (body: Record<string, unknown>) => app.request.post('/api/tracking/v1/track').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const woo = (topic: string, payload: unknown) => {
    const body = phpJson(payload);
    const req = app.request.post(`/api/tracking/v1/woocommerce/${WOO_SITE}`);
    for (const [name, value] of Object.entries(wooHeaders(topic, body, WOO_SECRET))) req.set(name, value);
    return req.send(body);
  };

  it('counts a Shopify, a WooCommerce and a server-side order once each, whatever the replays', async () => {
    const shop = newShop();
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_orders');
    const first = Date.parse('2026-05-04T10:01:00Z');
    const buyer = shopifyCustomer(nextNumber(), first - 60_000);
    const order = shopifyOrder(nextNumber(), buyer, first);
    expect(order.total_price).toBe('908.00');
    await deliverProcessed(app, shop, 'orders/create', order);
    const afterOne = await until('the first order on the customer', async () => {
      const c = await customerByEmail(buyer.email);
      return c?.ordersCount === 1 && c;
    });
    expect(totals(afterOne)).toEqual({ ordersCount: 1, totalSpent: 908, firstOrderAt: '2026-05-04T10:00:00.000Z', lastOrderAt: '2026-05-04T10:00:00.000Z', currency: 'EUR' });

    // Shopify sends orders/paid and orders/updated for the same order: one order still
    await deliverProcessed(app, shop, 'orders/paid', { ...order, financial_status: 'paid' });
    await deliverProcessed(app, shop, 'orders/updated', { ...order, financial_status: 'paid', updated_at: '2026-05-04T11:00:00Z' });

    // the same buyer orders on the WooCommerce shop (total "607.85") and through the ERP (a number, USD)
    const wooRes = await woo('order.created', wooOrder({ id: nextNumber(), email: buyer.email }));
    expect(wooRes.status, JSON.stringify(wooRes.body)).toBe(200);
    const erp = await track({ messageId: newId('m'), channel: 'erp', type: 'order_placed', email: buyer.email, timestamp: '2026-12-01T08:00:00Z', value: 100.25, currency: 'USD', properties: { order_id: newId('o') } });
    expect(erp.status, JSON.stringify(erp.body)).toBe(200);
    const afterThree = await until('three orders on the customer', async () => {
      const c = await customerByEmail(buyer.email);
      return c?.ordersCount === 3 && c;
    });
    expect(totals(afterThree)).toEqual({ ordersCount: 3, totalSpent: 1616.1, firstOrderAt: '2026-05-04T10:00:00.000Z', lastOrderAt: '2026-12-01T08:00:00.000Z', currency: 'USD' });
    // repeat orders make a small-B buyer even from a free mailbox (3 orders ≥ 3)
    const scored = await app.strapi.plugin('crm').service('scoring').recompute(afterThree.documentId);
    expect(scored.explanation.tierReasons).toContain('3 orders ≥ 3');

    // a replayed ERP message (same messageId) changes nothing
    const again = await track({ messageId: `dup-${afterThree.documentId}`, channel: 'erp', type: 'order_placed', email: buyer.email, timestamp: '2026-12-02T08:00:00Z', value: 10, currency: 'USD', properties: { order_id: 'dup' } });
    expect(again.status).toBe(200);
    const replay = await track({ messageId: `dup-${afterThree.documentId}`, channel: 'erp', type: 'order_placed', email: buyer.email, timestamp: '2026-12-02T08:00:00Z', value: 10, currency: 'USD', properties: { order_id: 'dup' } });
    expect(replay.status).toBe(200);
    const afterFour = await until('four orders', async () => {
      const c = await customerByEmail(buyer.email);
      return c?.ordersCount === 4 && c;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(totals(await customerByEmail(buyer.email))).toEqual({ ...totals(afterFour), ordersCount: 4, totalSpent: 1626.1 });
  });

  it('a merge moves the order totals with the orders', async () => {
    const email = (p: string) => `${p}-${newId().toLowerCase().replace(/[^a-z0-9]/g, '')}@orders.example`;
    const [a, b] = [email('survivor'), email('loser')];
    for (const [who, value, day] of [
      [a, 40, '2026-03-01'],
      [b, 60.5, '2026-02-01'],
      [b, 9.5, '2026-04-01'],
    ] as const) {
      const res = await track({ messageId: newId('m'), channel: 'erp', type: 'order_placed', email: who, timestamp: `${day}T09:00:00Z`, value, currency: 'EUR', properties: { order_id: newId('o') } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const survivor = await until('the survivor order', async () => ((await customerByEmail(a))?.ordersCount === 1 ? customerByEmail(a) : null));
    const loser = await until('the loser orders', async () => ((await customerByEmail(b))?.ordersCount === 2 ? customerByEmail(b) : null));
    await app.strapi.plugin('crm').service('customers').merge(survivor?.documentId, loser?.documentId);
    const merged = (await app.strapi.documents(CUSTOMER).findOne({ documentId: survivor?.documentId })) as Record<string, any>;
    expect(totals(merged)).toEqual({ ordersCount: 3, totalSpent: 110, firstOrderAt: '2026-02-01T09:00:00.000Z', lastOrderAt: '2026-04-01T09:00:00.000Z', currency: 'EUR' });
    const emptied = (await app.strapi.documents(CUSTOMER).findOne({ documentId: loser?.documentId })) as Record<string, any>;
    expect([emptied.ordersCount, Number(emptied.totalSpent), emptied.lastOrderAt]).toEqual([0, 0, null]);
  });

  it("insights revenue counts a Shopify order's string total", async () => {
    const shop = newShop();
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_orders');
    const at = Date.parse('2026-07-08T12:00:00Z');
    const buyer = shopifyCustomer(nextNumber(), at - 60_000);
    await deliverProcessed(app, shop, 'orders/create', shopifyOrder(nextNumber(), buyer, at, { total_price: '1250.40' }));
    await deliverProcessed(app, shop, 'orders/create', shopifyOrder(nextNumber(), buyer, at + 1000, { total_price: '49.60' }));
    for (const mode of ['raw', 'rollups']) {
      if (mode === 'rollups') await app.strapi.plugin('insights').service('rollups').rebuild();
      const res = await app.request
        .get(`/api/insights/v1/funnel?from=2026-07-08&to=2026-07-08&site=${encodeURIComponent(shop)}${mode === 'raw' ? '&mode=raw' : ''}`)
        .set('Authorization', `Bearer ${token}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect([mode, res.body.counts.deals, res.body.counts.revenue]).toEqual([mode, 2, 1300]);
    }
  });
});
