import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_INDEX, EXTERNAL_ID_INDEX, migrations, runMigrations } from '../../plugins/crm/server/src/migrations';
import { collect, customersWithEmail, eventually, serverApi } from '../helpers/crm';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, createApiToken, newId, touchpointsOf, visitorRow } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'crm_identity';

describe('one customer per person', () => {
  let app: BootedStrapi;
  let token: string;
  const isPg = () => !/sqlite/.test(String(app.strapi.db.connection.client.config.client));
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_SITES: `${SITE}=${SHOP}`, IS_PROXIED: 'true' } });
    token = await createApiToken(app.strapi);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('has unique indexes on the normalized email and the external id; a second row in another case is refused', async () => {
    const knex = app.strapi.db.connection;
    const names = isPg()
      ? (await knex('pg_indexes').where({ tablename: 'crm_customers' }).select('indexname')).map((r: { indexname: string }) => r.indexname)
      : (await knex('sqlite_master').where({ type: 'index', tbl_name: 'crm_customers' }).select('name')).map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining([EMAIL_INDEX, EXTERNAL_ID_INDEX]));
    const email = `${newId('u').toLowerCase()}@example.com`;
    await app.strapi.documents('plugin::crm.customer').create({ data: { email } as never });
    await expect(knex('crm_customers').insert({ document_id: newId('d'), email: ` ${email.toUpperCase()}` })).rejects.toThrow(/unique|UNIQUE/i);
    const id = `ext-${newId()}`;
    await knex('crm_customers').insert({ document_id: newId('d'), external_id: id });
    await expect(knex('crm_customers').insert({ document_id: newId('d'), external_id: id })).rejects.toThrow(/unique|UNIQUE/i);
    // identify reads the index, not the table
    const plan = isPg()
      ? await knex.transaction(async (trx) => {
          await trx.raw('SET LOCAL enable_seqscan = off');
          return JSON.stringify((await trx.raw('EXPLAIN SELECT document_id FROM crm_customers WHERE lower(trim(email)) = ?', [email])).rows);
        })
      : JSON.stringify(await knex.raw('EXPLAIN QUERY PLAN SELECT document_id FROM crm_customers WHERE lower(trim(email)) = ?', [email]));
    expect(plan).toContain(EMAIL_INDEX);
  });

  it('twenty concurrent identifies of one new email through the server-side API end on one customer', async () => {
    const email = `${newId('race').toLowerCase()}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        serverApi(app, token, 'identify', { channel: 'erp', messageId: newId('m'), email: i % 2 ? email.toUpperCase() : email, traits: { name: `Buyer ${i}` } }),
      ),
    );
    for (const res of responses) expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(new Set(responses.map((r) => r.body.customerId)).size).toBe(1);
    expect(await customersWithEmail(app.strapi, email)).toHaveLength(1);
  });

  it('twenty visitors identifying with one new email through collect end on one customer', async () => {
    const email = `${newId('crowd').toLowerCase()}@example.com`;
    const visitors = Array.from({ length: 20 }, () => newId());
    const responses = await Promise.all(
      visitors.map((visitor, i) =>
        collect(
          app,
          SHOP,
          batch(SITE, visitor, [{ type: 'form_submit', url: `${SHOP}/pages/contact`, props: { form: 'newsletter', fields: { email: i % 3 ? email : email.toUpperCase() } } }]),
          `81.2.69.${i + 1}`,
        ),
      ),
    );
    for (const res of responses) expect(res.status).toBe(202);
    const linked = await eventually(async () => {
      const rows = await Promise.all(visitors.map((v) => visitorRow(app.strapi, v)));
      return rows.every((r) => r?.customer_id) ? rows : undefined;
    }, 'every visitor joined');
    const rows = await customersWithEmail(app.strapi, email);
    expect(rows).toHaveLength(1);
    expect(new Set(linked.map((r) => r.customer_id))).toEqual(new Set([rows[0].document_id]));
  });

  it('invalid email, phone or country through the server-side API are 400 with field errors; HTML is stored as text', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ phone: '12' }, 'phone'],
      [{ country: 'XX' }, 'country'],
      [{ country: 'Germany' }, 'country'],
    ];
    for (const [traits, field] of cases) {
      const res = await serverApi(app, token, 'identify', { channel: 'erp', email: `${newId('bad').toLowerCase()}@example.com`, traits });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path[0])).toContain(field);
    }
    const bad = await serverApi(app, token, 'identify', { channel: 'erp', email: 'not-an-email', traits: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/email/);
    const ok = await serverApi(app, token, 'identify', {
      channel: 'erp',
      email: `${newId('ok').toLowerCase()}@example.com`,
      traits: { phone: '030 1234567', country: 'de', name: '<script>alert(1)</script>' },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const customer = await app.strapi.documents('plugin::crm.customer').findOne({ documentId: ok.body.customerId });
    expect(customer).toMatchObject({ phone: '+49301234567', country: 'DE', name: '<script>alert(1)</script>' });
  });

  it('merging moves touchpoints, the visitor, inquiries and follow-ups, fills empty fields and is on the timeline', async () => {
    const crm = app.strapi.plugin('crm');
    const a = `${newId('keep').toLowerCase()}@example.com`;
    const b = `${newId('lose').toLowerCase()}@example.com`;
    const survivor = await crm.service('customers').identify({ email: a, name: 'Ana Keep' });
    const loser = await crm.service('customers').identify({ email: b, phone: '+4915112345678', company: 'Lose GmbH', externalId: `shop-${newId()}` });
    const visitor = newId();
    await collect(app, SHOP, batch(SITE, visitor, [{ type: 'identify', url: `${SHOP}/`, props: { email: b } }]));
    await eventually(async () => ((await visitorRow(app.strapi, visitor))?.customer_id === loser.documentId ? true : undefined), 'visitor joined the loser');
    await serverApi(app, token, 'track', { messageId: newId('m'), channel: 'whatsapp', type: 'message_received', email: b, properties: { text: 'hi' } });
    const inquiry = await crm.service('inquiries').create({ customerId: loser.documentId, channel: 'email', message: 'Price for 500?' });
    const followUp = await app.strapi.documents('plugin::crm.follow-up').create({ data: { customer: loser.documentId, note: 'called', kind: 'log' } as never });
    const before = await touchpointsOf(app.strapi, { customer_id: loser.documentId });
    expect(before.length).toBeGreaterThanOrEqual(3);

    const result = await crm.service('customers').merge(survivor.documentId, loser.documentId, 1);
    expect(result.moved).toMatchObject({ touchpoints: before.length, inquiries: 1, followUps: 1, visitors: 1 });
    expect(await touchpointsOf(app.strapi, { customer_id: loser.documentId })).toHaveLength(0);
    const after = await touchpointsOf(app.strapi, { customer_id: survivor.documentId });
    expect(after.map((t) => t.type)).toEqual(expect.arrayContaining(['identify', 'message_received', 'inquiry_created', 'customer_merged']));
    expect(after.find((t) => t.type === 'customer_merged')?.properties).toMatchObject({ loser_id: loser.documentId, by_admin_id: 1 });
    expect((await visitorRow(app.strapi, visitor))?.customer_id).toBe(survivor.documentId);
    const moved = await app.strapi.documents('plugin::crm.inquiry').findOne({ documentId: inquiry.documentId, populate: ['customer'] as never });
    expect((moved as { customer?: { documentId: string } }).customer?.documentId).toBe(survivor.documentId);
    const fu = await app.strapi.documents('plugin::crm.follow-up').findOne({ documentId: followUp.documentId, populate: ['customer'] as never });
    expect((fu as { customer?: { documentId: string } }).customer?.documentId).toBe(survivor.documentId);
    const s = await crm.service('customers').findOne(survivor.documentId);
    expect(s).toMatchObject({ email: a, name: 'Ana Keep', phone: '+4915112345678', company: 'Lose GmbH' });
    const l = await crm.service('customers').findOne(loser.documentId);
    expect(l).toMatchObject({ mergedInto: survivor.documentId, email: null });
    // the loser's address now finds the survivor? No: it is gone; the loser's external id is the survivor's
    expect(s?.externalId).toBeTruthy();
    // new events of the moved visitor land on the survivor (the collector's cache followed)
    await collect(app, SHOP, batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/products/x` }]));
    await eventually(async () => {
      const rows = await touchpointsOf(app.strapi, { visitor_id: visitor, type: 'page_view' });
      return rows.length ? rows : undefined;
    }, 'page view stored').then((rows) => expect(rows[0].customer_id).toBe(survivor.documentId));
  });

  it('rows differing only in email case (from before the index) are merged so the index can be created', async () => {
    const knex = app.strapi.db.connection;
    await knex.raw(`DROP INDEX ${EMAIL_INDEX}`);
    const email = `${newId('dup').toLowerCase()}@example.com`;
    const docs = app.strapi.documents('plugin::crm.customer');
    const first = await docs.create({ data: { email, name: 'First' } as never });
    const second = await docs.create({ data: { email: email.toUpperCase(), phone: '+4915112345679' } as never });
    await expect(knex.raw(migrationSql())).rejects.toThrow();
    const merged = await app.strapi.plugin('crm').service('customers').mergeCaseDuplicates();
    expect(merged.map((m: { loserId: string }) => m.loserId)).toContain(second.documentId);
    await runMigrations(knex, migrations);
    const rows = await customersWithEmail(app.strapi, email);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ document_id: first.documentId, phone: '+4915112345679' });
  });
});

const migrationSql = () => `CREATE UNIQUE INDEX ${EMAIL_INDEX} ON crm_customers (lower(trim(email)))`;
