import { randomInt, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, shopifyCheckout, shopifyConsentUpdate, shopifyCustomer, shopifyFulfillment, shopifyOrder, webhookHeaders } from '../fixtures/shopify';
import { adminJwt, createAdminWithRole, createSuperAdmin } from '../helpers/admin';
import { deliveryEnv, waitForStatus } from '../helpers/email-delivery';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { deliverProcessed, WEBHOOK_URL } from '../helpers/shopify-webhooks';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

let seq = 0;
const newShop = () => `moat-gdpr-${Date.now().toString(36)}-${seq++}.myshopify.com`;
let nextId = 9_000_000 + Math.floor(Math.random() * 100_000);
const newId = () => nextId++;
/** letters only, so a name token cannot collide with ids, hashes or tokens by chance */
const word = (n: number) => Array.from({ length: n }, () => String.fromCharCode(97 + randomInt(26))).join('');

/** customers/data_request, customers/redact and shop/redact through every plugin's `privacy` service. */
describe('Shopify compliance webhooks', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await bootStrapi({
      env: {
        ...deliveryEnv(sink.port, 'unused', { MOAT_QUEUE: 'local', REDIS_URL: 'redis://127.0.0.1:1' }),
        SHOPIFY_API_KEY: APP_KEY,
        SHOPIFY_API_SECRET: APP_SECRET,
        SHOPIFY_APP_URL: 'https://moat.example.com',
      },
    });
  });
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
  });

  const knex = () => app.strapi.db.connection;
  const install = async (shop = newShop()) => {
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_customers');
    return shop;
  };
  /** delivers (expecting 200) and waits until a worker has processed it */
  const deliver = (shop: string, topic: string, payload: unknown) => deliverProcessed(app, shop, topic, payload);

  /** Every table of the database, every column read as text: where does any needle appear? */
  async function scan(needles: string[]): Promise<string[]> {
    const pg = app.database.client === 'postgres';
    const tables: string[] = pg
      ? (await knex().raw("select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'")).rows.map((r: { table_name: string }) => r.table_name)
      : (await knex().raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")).map((r: { name: string }) => r.name);
    expect(tables.length).toBeGreaterThan(30);
    const hits: string[] = [];
    for (const table of tables) {
      const columns: string[] = pg
        ? (await knex().raw('select column_name from information_schema.columns where table_schema = current_schema() and table_name = ?', [table])).rows.map((r: { column_name: string }) => r.column_name)
        : (await knex().raw(`pragma table_info("${table}")`)).map((r: { name: string }) => r.name);
      for (const needle of needles) {
        const where = columns.map((c) => (pg ? `lower("${c}"::text) like ?` : `lower(cast("${c}" as text)) like ?`)).join(' or ');
        const [{ n }] = await knex().raw(`select count(*) as n from "${table}" where ${where}`, columns.map(() => `%${needle.toLowerCase()}%`)).then((r: unknown) => (pg ? (r as { rows: Array<{ n: string }> }).rows : (r as Array<{ n: number }>)));
        if (Number(n) > 0) hits.push(`${table}: ${needle}`);
      }
    }
    return hits;
  }

  /** One buyer with data in every plugin: CRM customer, inquiry, follow-ups, quote; touchpoints and a visitor; messages and a suppression; Shopify rows. */
  async function seedBuyer(shop: string) {
    const first = `Zo${word(8)}`;
    const last = `Qu${word(8)}`;
    const email = `${first.toLowerCase()}.${last.toLowerCase()}@example.com`;
    const phone = `+49151${randomInt(10_000_000, 99_999_999)}`;
    const address = { first_name: first, last_name: last, company: 'Acme Export GmbH', address1: 'Hauptstr. 1', city: 'Berlin', zip: '10115', country: 'Germany', country_code: 'DE', phone };
    const customer = shopifyCustomer(newId(), Date.now() - 60_000, { email, first_name: first, last_name: last, phone, default_address: address });
    await deliver(shop, 'customers/create', customer);
    await deliver(shop, 'customers/email_marketing_consent_update', shopifyConsentUpdate(customer.id, email, 'subscribed', Date.now() - 55_000));
    const order = shopifyOrder(newId(), customer, Date.now() - 50_000, { billing_address: address });
    await deliver(shop, 'orders/create', order);
    const fulfillment = shopifyFulfillment(newId(), order, Date.now() - 40_000, { destination: { ...address, name: `${first} ${last}` } });
    const shipped = await deliver(shop, 'fulfillments/create', fulfillment);
    // a checkout left five hours ago: a stored checkout and a checkout_abandoned touchpoint
    await deliver(shop, 'checkouts/create', shopifyCheckout(newId(), customer, Date.now() - 5 * 3_600_000));
    await app.strapi.plugin('shopify').service('checkouts').sweepAbandoned();
    await waitForStatus(app.strapi, shipped.detail?.email.id, ['sent']);

    const crm = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { externalId: `shopify:${shop}:${customer.id}` } });
    expect(crm?.email).toBe(email);
    const customerId = String(crm?.documentId);
    const inquiry = await app.strapi.plugin('crm').service('inquiries').create({ customerId, channel: 'form', message: `Please quote 5,000 pcs, call ${first} at ${phone}`, product: { key: 'hex-bolt', title: 'Hex bolt' } });
    await app.strapi.documents('plugin::crm.follow-up' as never).create({ data: { inquiry: inquiry.documentId, customer: customerId, note: `Called ${first} ${last}` } } as never);
    await app.strapi.documents('plugin::crm.quote' as never).create({ data: { inquiry: inquiry.documentId, fileName: 'quote.pdf', mimeType: 'application/pdf', size: 10, storedName: `${randomUUID()}.pdf`, sentTo: email } } as never);
    // a visitor linked to the customer, and a form seen before the visitor was known
    const visitorId = randomUUID();
    const touchpoints = app.strapi.plugin('tracking').service('touchpoints');
    await touchpoints.linkVisitor(visitorId, customerId, 'shop.example.com');
    await touchpoints.record({ type: 'page_view', channel: 'web', site: 'shop.example.com', visitorId, occurredAt: Date.now() - 30_000, url: 'https://shop.example.com/p/hex-bolt', properties: { title: 'Hex bolt' } });
    await touchpoints.record({ type: 'identify', channel: 'web', site: 'shop.example.com', visitorId: randomUUID(), occurredAt: Date.now() - 20_000, properties: { email: email.toUpperCase(), phone } });
    await app.strapi.plugin('lifecycle-email').service('delivery').repo.suppressions.add(email, 'unsubscribed', `${first} clicked unsubscribe`, shipped.detail?.email.id, Date.now());
    return { customer, customerId, first, last, email, phone, needles: [email, phone, first, last] };
  }

  it('customers/data_request exports what every plugin holds on the buyer; an admin with the permission reads it', async () => {
    const shop = await install();
    const buyer = await seedBuyer(shop);
    const request = { shop_id: 954889, shop_domain: shop, orders_requested: [], customer: { id: buyer.customer.id, email: buyer.email, phone: buyer.phone }, data_request: { id: 9999 } };
    const res = await deliver(shop, 'customers/data_request', request);
    expect(res).toMatchObject({ status: 'processed', detail: { plugins: expect.arrayContaining(['crm', 'lifecycle-email', 'shopify', 'tracking']) } });
    const path = `/shopify/exports/${res.detail?.exportId}`;

    expect((await app.request.get(path)).status).toBe(401);
    const editor = await adminJwt(app.request, await createAdminWithRole(app.strapi, 'strapi-editor'));
    expect((await app.request.get(path).set('Authorization', `Bearer ${editor}`)).status).toBe(403);
    const admin = await adminJwt(app.request, await createSuperAdmin(app.strapi));
    const auth = { Authorization: `Bearer ${admin}` };
    expect((await app.request.get('/shopify/exports/abc').set(auth)).status).toBe(400);
    expect((await app.request.get('/shopify/exports/999999999').set(auth)).status).toBe(404);

    const found = await app.request.get(path).set(auth);
    expect(found.status).toBe(200);
    const { data } = found.body.data;
    expect(found.body.data).toMatchObject({ shop, customerId: String(buyer.customer.id), requestId: '9999', subject: { email: buyer.email, customerId: buyer.customerId } });
    expect(data.crm.customers.map((c: { email: string }) => c.email)).toEqual([buyer.email]);
    expect(data.crm.inquiries).toHaveLength(1);
    expect(data.crm.followUps.length).toBeGreaterThanOrEqual(1);
    expect(data.crm.quotes.map((q: { sentTo: string }) => q.sentTo)).toEqual([buyer.email]);
    const types = data.tracking.touchpoints.map((t: { type: string }) => t.type);
    expect(types).toEqual(expect.arrayContaining(['identify', 'order_placed', 'order_shipped', 'page_view', 'email_sent', 'checkout_abandoned']));
    expect(data.tracking.visitors).toHaveLength(1);
    expect(data['lifecycle-email'].messages).toHaveLength(1);
    expect(data['lifecycle-email'].messages[0].data.shipment.carrier).toBe('DHL Express');
    expect(data['lifecycle-email'].suppressions).toHaveLength(1);
    expect(data.shopify.versions.map((v: { kind: string }) => v.kind).sort()).toEqual(['consent', 'customer']);
    expect(data.shopify.checkouts.map((c: { email: string }) => c.email)).toEqual([buyer.email]);
  });

  it('customers/redact leaves no trace of the buyer in any table; another buyer keeps everything', async () => {
    const shop = await install();
    const buyer = await seedBuyer(shop);
    const other = await seedBuyer(shop);
    await deliver(shop, 'customers/data_request', { shop_id: 1, shop_domain: shop, customer: { id: buyer.customer.id, email: buyer.email, phone: buyer.phone }, data_request: { id: 1 } });
    // a delivery about the buyer that failed and waits for a retry keeps its payload until then
    const now = Date.now();
    await knex()('shopify_webhook_deliveries').insert({ webhook_id: randomUUID(), shop, topic: 'customers/update', status: 'failed', payload: JSON.stringify(buyer.customer), triggered_at: now, attempts: 8, error: 'database unavailable', received_at: now, updated_at: now });
    const before = await scan(buyer.needles);
    // the scan sees what each plugin stores (else finding nothing afterwards would prove nothing)
    for (const table of ['crm_customers', 'crm_inquiries', 'crm_quotes', 'moat_touchpoints', 'moat_messages', 'moat_email_suppressions', 'shopify_data_exports', 'shopify_checkouts', 'shopify_webhook_deliveries']) {
      expect(before.some((h) => h.startsWith(`${table}:`)), `${table} in ${before.join(', ')}`).toBe(true);
    }

    // uninstalled meanwhile: the redact is still owed and done
    await deliver(shop, 'app/uninstalled', { id: 1, domain: shop });
    const res = await deliver(shop, 'customers/redact', { shop_id: 1, shop_domain: shop, customer: { id: buyer.customer.id, email: buyer.email, phone: buyer.phone }, orders_to_redact: [] });
    expect(res.status).toBe('processed');
    expect(await scan(buyer.needles)).toEqual([]);

    const kept = await scan(other.needles);
    for (const table of ['crm_customers', 'moat_touchpoints', 'moat_messages', 'moat_email_suppressions']) expect(kept.some((h) => h.startsWith(`${table}:`)), table).toBe(true);
  });

  it('shop/redact removes the shop from every shopify table; a malformed request is a 400', async () => {
    const shop = await install();
    const otherShop = await install();
    await seedBuyer(shop);
    await deliver(otherShop, 'customers/email_marketing_consent_update', shopifyConsentUpdate(newId(), `x${word(6)}@example.com`, 'subscribed', Date.now()));
    const body = JSON.stringify({ shop_id: 1 });
    const bad = app.request.post(WEBHOOK_URL);
    for (const [name, value] of Object.entries(webhookHeaders(shop, 'customers/redact', body))) bad.set(name, value);
    expect((await bad.send(body)).status).toBe(400);

    // a backfill's progress rows are the shop's too
    await knex()('shopify_backfill_jobs').insert({ shop, resource: 'orders', status: 'done', done: 3, total: 3, updated_at: Date.now() });
    await deliver(shop, 'app/uninstalled', { id: 1, domain: shop });
    // processed, and its own record went with the shop's other deliveries
    expect((await deliver(shop, 'shop/redact', { shop_id: 1, shop_domain: shop })).status).toBe('deleted');
    for (const table of ['shopify_shops', 'shopify_sessions', 'shopify_webhook_deliveries', 'shopify_products', 'shopify_entity_versions', 'shopify_data_exports', 'shopify_backfill_jobs']) {
      expect(await knex()(table).where({ shop }), table).toEqual([]);
    }
    expect(await knex()('shopify_entity_versions').where({ shop: otherShop })).toHaveLength(1);
  });
});
