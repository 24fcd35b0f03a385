import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, shopifyConsentUpdate, shopifyCustomer, shopifyFulfillment, shopifyOrder } from '../fixtures/shopify';
import { deliveryEnv, waitForStatus } from '../helpers/email-delivery';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { deliverInResponseShape } from '../helpers/shopify-webhooks';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

let seq = 0;
const newShop = () => `moat-ship-${Date.now().toString(36)}-${seq++}.myshopify.com`;
let nextId = 8_000_000 + Math.floor(Math.random() * 100_000);
const newId = () => nextId++;

/** fulfillments/* → shipping touchpoint and shipping email; customers/email_marketing_consent_update → CRM consent. */
describe('Shopify fulfillments and marketing consent', () => {
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
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_orders');
    return shop;
  };
  /** delivers and waits until a worker has processed it */
  const deliver = (shop: string, topic: string, payload: unknown, webhookId = randomUUID()) => deliverInResponseShape(app, shop, topic, payload, { webhookId });
  const touchpointsOf = (shop: string) => knex()('moat_touchpoints').where({ channel: 'shopify', site: shop }).orderBy('id');
  const mailTo = (address: string) => sink.messages.filter((m) => m.envelope.to.includes(address));

  it('sends one shipping email with carrier, tracking number and link, however often and in whatever order Shopify delivers', async () => {
    const shop = await install();
    const customer = shopifyCustomer(newId(), Date.now() - 60_000, { email: `ship-${randomUUID().slice(0, 8)}@example.com` });
    const order = shopifyOrder(newId(), customer, Date.now() - 50_000);
    const fulfillment = shopifyFulfillment(newId(), order, Date.now() - 40_000);

    // the fulfillment arrives before its order, three times (one delivery id), then as an update
    const webhookId = randomUUID();
    const first = [];
    for (let i = 0; i < 3; i++) first.push((await deliver(shop, 'fulfillments/create', fulfillment, webhookId)).body);
    expect(first.map((r) => r.status)).toEqual(['processed', 'duplicate', 'duplicate']);
    expect(first[0].detail).toMatchObject({ recorded: ['order_shipped'], email: { created: true } });
    const update = await deliver(shop, 'fulfillments/update', { ...fulfillment, updated_at: new Date().toISOString() });
    expect(update.body).toMatchObject({ status: 'processed', detail: { recorded: [], email: { id: first[0].detail.email.id, created: false } } });
    expect((await deliver(shop, 'orders/create', order)).status).toBe(200);

    const row = await waitForStatus(app.strapi, first[0].detail.email.id, ['sent']);
    expect(row.status).toBe('sent');
    await sink.waitFor(1);
    await new Promise((r) => setTimeout(r, 500));
    const mails = mailTo(customer.email);
    expect(mails).toHaveLength(1);
    const mail = mails[0].parsed;
    const html = String(mail.html);
    expect(mail.subject).toContain(order.name);
    expect(html).toContain('DHL Express');
    expect(html).toContain(fulfillment.tracking_number);
    // the button's signed click link redirects to the carrier's tracking page
    const button = /href="http:\/\/moat\.test(\/api\/lifecycle-email\/c\/[^"]+)"[^>]*>\s*Track the shipment/.exec(html)?.[1];
    expect(button).toBeTruthy();
    const click = await app.request.get(String(button));
    expect(click.status).toBe(302);
    expect(click.headers.location).toBe(fulfillment.tracking_url);
    expect(mail.text).toContain(fulfillment.tracking_number);

    // one shipping touchpoint on the CRM customer the order also lands on
    const shipped = (await touchpointsOf(shop)).filter((t) => t.type === 'order_shipped');
    expect(shipped).toHaveLength(1);
    const crm = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email: customer.email } });
    expect(shipped[0].customer_id).toBe(crm?.documentId);
    const properties = typeof shipped[0].properties === 'string' ? JSON.parse(shipped[0].properties) : shipped[0].properties;
    expect(properties).toMatchObject({ order_id: String(order.id), fulfillment_id: String(fulfillment.id), carrier: 'DHL Express', tracking_numbers: [fulfillment.tracking_number], tracking_urls: [fulfillment.tracking_url] });

    // the message log holds the one email, keyed by fulfillment id + status
    expect(await knex()('moat_messages').where({ recipient: customer.email })).toHaveLength(1);
  });

  it('a cancelled fulfillment is a touchpoint of its own and sends no email', async () => {
    const shop = await install();
    const customer = shopifyCustomer(newId(), Date.now() - 60_000, { email: `cancel-${randomUUID().slice(0, 8)}@example.com` });
    const fulfillment = shopifyFulfillment(newId(), shopifyOrder(newId(), customer, Date.now() - 50_000), Date.now() - 40_000, { status: 'cancelled' });
    const res = await deliver(shop, 'fulfillments/update', fulfillment);
    expect(res.body).toMatchObject({ status: 'processed', detail: { recorded: ['shipment_cancelled'], email: null } });
    expect(await knex()('moat_messages').where({ recipient: customer.email })).toHaveLength(0);
    const bad = await deliver(shop, 'fulfillments/create', { ...fulfillment, order_id: 'not-an-id' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/order_id/);
  });

  it('email marketing consent: the newer event wins, whatever order they arrive in', async () => {
    const shop = await install();
    const customer = shopifyCustomer(newId(), Date.now() - 60_000, { email: `consent-${randomUUID().slice(0, 8)}@example.com` });
    const t0 = Date.now() - 30_000;
    const consentOf = async () => app.strapi.documents('plugin::crm.customer').findFirst({ filters: { externalId: `shopify:${shop}:${customer.id}` } }) as Promise<Record<string, unknown> | null>;

    const subscribed = await deliver(shop, 'customers/email_marketing_consent_update', shopifyConsentUpdate(customer.id, customer.email, 'subscribed', t0));
    expect(subscribed.body).toMatchObject({ status: 'processed', detail: { applied: true, consent: 'subscribed' } });
    expect(await consentOf()).toMatchObject({ email: customer.email, emailConsent: 'subscribed', emailConsentSource: 'shopify:confirmed_opt_in' });
    expect(Date.parse(String((await consentOf())?.emailConsentAt))).toBe(t0);

    // the newer unsubscribe lands; an older subscribe delivered late does not undo it
    expect((await deliver(shop, 'customers/email_marketing_consent_update', shopifyConsentUpdate(customer.id, customer.email, 'unsubscribed', t0 + 10_000))).body.detail.applied).toBe(true);
    const late = await deliver(shop, 'customers/email_marketing_consent_update', shopifyConsentUpdate(customer.id, customer.email, 'subscribed', t0 + 5_000));
    expect(late.body.detail.applied).toBe(false);
    expect(await consentOf()).toMatchObject({ emailConsent: 'unsubscribed', emailConsentSource: 'shopify:single_opt_in' });
    expect(Date.parse(String((await consentOf())?.emailConsentAt))).toBe(t0 + 10_000);

    const bad = await deliver(shop, 'customers/email_marketing_consent_update', { customer_id: customer.id, email_address: customer.email });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/email_marketing_consent/);
  });
});
