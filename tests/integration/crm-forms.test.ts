import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, customersWithEmail, eventually, inquiriesOf, serverApi } from '../helpers/crm';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, createApiToken, newId, touchpointsOf } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'crm_forms';

describe('forms → customers and inquiries', () => {
  let app: BootedStrapi;
  let token: string;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_SITES: `${SITE}=${SHOP}`, IS_PROXIED: 'true' } });
    token = await createApiToken(app.strapi);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const customerOf = (email: string) =>
    eventually(async () => (await customersWithEmail(app.strapi, email))[0]?.document_id as string | undefined, `customer ${email}`);

  it('a tracked inquiry form creates the customer and one inquiry, also when the same submission arrives twice', async () => {
    const email = `${newId('rfq').toLowerCase()}@example.com`;
    const visitor = newId();
    const body = batch(SITE, visitor, [
      {
        type: 'form_submit',
        id: newId('e'),
        url: `${SHOP}/products/industrial-widget`,
        props: {
          form: 'inquiry',
          fields: { email, name: 'Chloé Martin', phone: '06 12 34 56 78', country: 'FR', message: '<script>alert(1)</script> 500 pcs FOB?', quantity: '500' },
          product: { id: 4242, title: 'Industrial Widget' },
        },
      },
    ]);
    expect((await collect(app, SHOP, body)).status).toBe(202);
    const customerId = await customerOf(email);
    const [inquiry] = await eventually(async () => {
      const list = await inquiriesOf(app.strapi, customerId);
      return list.length ? list : undefined;
    }, 'the inquiry');
    // delivered again (the tracker retries after a lost 202): nothing new
    expect((await collect(app, SHOP, body)).status).toBe(202);
    await new Promise((r) => setTimeout(r, 800));
    expect(await inquiriesOf(app.strapi, customerId)).toHaveLength(1);
    expect(inquiry).toMatchObject({ productKey: '4242', productTitle: 'Industrial Widget', channel: 'form', status: 'new', message: '<script>alert(1)</script> 500 pcs FOB?' });
    expect(Number(inquiry.quantity)).toBe(500);
    const customer = await app.strapi.documents('plugin::crm.customer').findOne({ documentId: customerId });
    expect(customer).toMatchObject({ name: 'Chloé Martin', phone: '+33612345678', country: 'FR' });
    const created = await touchpointsOf(app.strapi, { customer_id: customerId, type: 'inquiry_created' });
    expect(created).toHaveLength(1);
    expect(created[0].properties).toEqual({
      inquiry_id: inquiry.documentId,
      product: { key: '4242', title: 'Industrial Widget' },
      quantity: 500,
      channel: 'form',
      message: '<script>alert(1)</script> 500 pcs FOB?',
    });
  });

  it('a contact form through the server-side API makes one inquiry per messageId; a newsletter form none', async () => {
    const email = `${newId('api').toLowerCase()}@example.com`;
    const call = { messageId: newId('m'), channel: 'web', type: 'form_submit', email, properties: { form: 'contact', fields: { email, message: 'Do you ship to Chile?' } } };
    expect((await serverApi(app, token, 'track', call)).status).toBe(200);
    expect((await serverApi(app, token, 'track', call)).body.status).toBe('duplicate');
    const customerId = await customerOf(email);
    await eventually(async () => ((await inquiriesOf(app.strapi, customerId)).length === 1 ? true : undefined), 'one inquiry');
    await serverApi(app, token, 'track', { ...call, messageId: newId('m'), properties: { form: 'newsletter', fields: { email } } });
    await new Promise((r) => setTimeout(r, 800));
    expect(await inquiriesOf(app.strapi, customerId)).toHaveLength(1);
  });

  it('never overwrites a newer value with an older submission', async () => {
    const email = `${newId('late').toLowerCase()}@example.com`;
    const visitor = newId();
    const now = Date.now();
    const form = (name: string, ts: number) => batch(SITE, visitor, [{ type: 'form_submit', ts, url: `${SHOP}/pages/contact`, props: { form: 'newsletter', fields: { email, name } } }]);
    await collect(app, SHOP, form('Old Name', now - 60_000));
    const customerId = await customerOf(email);
    await collect(app, SHOP, form('New Name', now - 10_000));
    const doc = () => app.strapi.documents('plugin::crm.customer').findOne({ documentId: customerId });
    await eventually(async () => ((await doc())?.name === 'New Name' ? true : undefined), 'the newer name');
    // a submission from before that, delivered late
    await collect(app, SHOP, form('Stale Name', now - 30_000));
    await eventually(async () => ((await touchpointsOf(app.strapi, { visitor_id: visitor })).length === 3 ? true : undefined), 'three stored');
    await new Promise((r) => setTimeout(r, 500));
    expect((await doc())?.name).toBe('New Name');
  });

  it('status changes write stage_changed; bad inquiry input is a validation error naming the fields', async () => {
    const inquiries = app.strapi.plugin('crm').service('inquiries');
    const { documentId: customerId } = await app.strapi.plugin('crm').service('customers').identify({ email: `${newId('st').toLowerCase()}@example.com` });
    const { documentId, created } = await inquiries.create({ customerId, channel: 'whatsapp', product: { key: 'sku-1', title: 'Tray' }, quantity: 20, dedupeKey: 'k-' + customerId });
    expect(created).toBe(true);
    expect(await inquiries.create({ customerId, channel: 'whatsapp', dedupeKey: 'k-' + customerId })).toEqual({ documentId, created: false });
    expect(await inquiries.setStatus(documentId, 'quoted', { value: 1299, currency: 'EUR' })).toEqual({ from: 'new', to: 'quoted' });
    const [stage] = await touchpointsOf(app.strapi, { customer_id: customerId, type: 'stage_changed' });
    expect(stage.properties).toEqual({ entity: 'inquiry', id: documentId, from: 'new', to: 'quoted', value: 1299, currency: 'EUR' });
    const error = await inquiries.create({ customerId, channel: 'fax', currency: 'euro', quantity: -1 }).catch((e: { details?: unknown }) => e);
    expect((error as { details: { errors: Array<{ path: string[] }> } }).details.errors.map((e) => e.path[0]).sort()).toEqual(['channel', 'currency', 'quantity']);
  });
});
