/**
 * Issue 9, parts 4-6: what an open endpoint must never store or trust, whoever calls it.
 * Runs on SQLite and (DATABASE_CLIENT=postgres) PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../helpers/admin';
import { isPostgres } from '../helpers/database';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, createApiToken, newId, touchpointsOf } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'shop_main';
const CUSTOMER = 'plugin::crm.customer';

describe('collect and the server API: secrets, identity, odd strings', () => {
  let app: BootedStrapi;
  let token: string;
  beforeAll(async () => {
    app = await bootStrapi({
      env: {
        MOAT_SITES: `${SITE}=${SHOP};dev_site=http://localhost:*`,
        IS_PROXIED: 'true',
        // one group commit gathers a whole burst, so the isolation test below is about one group
        MOAT_COLLECT_GROUP_WINDOW_MS: '400',
      },
    });
    token = await createApiToken(app.strapi);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const send = (body: unknown, { origin = SHOP, ip = '81.2.69.142' } = {}) =>
    app.request
      .post('/moat/collect')
      .set('User-Agent', CHROME_UA)
      .set('X-Forwarded-For', ip)
      .set('Content-Type', 'text/plain;charset=UTF-8')
      .set('Origin', origin)
      .send(typeof body === 'string' ? body : JSON.stringify(body));
  const api = (path: string, body: unknown) => app.request.post(`/api/tracking/v1/${path}`).set('Authorization', `Bearer ${token}`).send(body as object);
  const customerByEmail = (email: string) => app.strapi.documents(CUSTOMER).findFirst({ filters: { email } }) as Promise<Record<string, any> | null>;

  it('a form_submit with password, card, CVV and token fields stores none of them (collect)', async () => {
    const visitor = newId();
    const email = `${newId('buyer')}@example.com`.toLowerCase();
    const fields = { email, name: 'Ana', password: 'hunter2', card_number: '4111 1111 1111 1111', cc_cvv: '123', csrf_token: 'tok', note: '5500000000000004' };
    expect((await send(batch(SITE, visitor, [{ type: 'form_submit', props: { form: 'contact', fields } }]))).status).toBe(202);
    const [row] = await touchpointsOf(app.strapi, { visitor_id: visitor });
    expect(row.properties.fields).toEqual({ email, name: 'Ana' });
    expect(JSON.stringify(row)).not.toMatch(/hunter2|4111|5500000000000004|tok"|"123"/);
  });

  it('the server-side API drops secret properties too', async () => {
    const res = await api('track', { messageId: newId('m'), channel: 'erp', type: 'order_placed', email: `${newId('o')}@example.com`, properties: { order: 'SO-1', payment: { card_number: '4111111111111111', token: 'x' }, total: 120 } });
    expect(res.status).toBe(200);
    const [row] = await touchpointsOf(app.strapi, { customer_id: res.body.customerId });
    expect(row.properties).toEqual({ order: 'SO-1', payment: {}, total: 120 });
  });

  it('an identify whose customer_id is an object is a 400, and merges nobody', async () => {
    for (const customer_id of [{ id: 1 }, ['1'], true, '']) {
      const visitor = newId();
      const res = await send(batch(SITE, visitor, [{ type: 'identify', props: { customer_id } }]));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/customer_id/);
      expect(await touchpointsOf(app.strapi, { visitor_id: visitor })).toEqual([]);
    }
    expect(await app.strapi.documents(CUSTOMER).findFirst({ filters: { externalId: '[object Object]' } })).toBeNull();
    const nested = await send(batch(SITE, newId(), [{ type: 'form_submit', props: { form: 'contact', fields: { email: { $ne: null } } } }]));
    expect(nested.status).toBe(400);
    // a numeric storefront id is fine (Shopify customer ids are numbers)
    const visitor = newId();
    const externalId = String(Date.now());
    expect((await send(batch(SITE, visitor, [{ type: 'identify', props: { customer_id: Number(externalId) } }]))).status).toBe(202);
    await expect.poll(async () => (await app.strapi.documents(CUSTOMER).findFirst({ filters: { externalId } }))?.externalId ?? null).toBe(externalId);
  });

  it('storefront traits are unverified: they fill gaps, never overwrite a trusted value, and a trusted source replaces them', async () => {
    const email = `${newId('lead')}@example.com`.toLowerCase();
    const visitor = newId();
    await send(batch(SITE, visitor, [{ type: 'identify', props: { email, name: 'Mallory', company: 'Fake Ltd' } }])).expect(202);
    await expect.poll(async () => (await customerByEmail(email))?.name ?? null).toBe('Mallory');
    expect((await customerByEmail(email))?.unverifiedTraits?.sort()).toEqual(['company', 'email', 'name']);

    // an API token (trusted) says who it really is
    await api('identify', { channel: 'erp', email, traits: { name: 'Alice Zhang', company: 'Fake Ltd' } }).expect(200);
    let customer = await customerByEmail(email);
    expect(customer).toMatchObject({ name: 'Alice Zhang', company: 'Fake Ltd' });
    // the same email from a trusted source confirms it
    expect(customer?.unverifiedTraits).toEqual([]);

    // the open endpoint cannot take it back
    await send(batch(SITE, newId(), [{ type: 'identify', props: { email, name: 'Eve', phone: '+1 415 555 2671' } }])).expect(202);
    await expect.poll(async () => (await customerByEmail(email))?.phone ?? null).toBe('+14155552671');
    customer = await customerByEmail(email);
    expect(customer?.name).toBe('Alice Zhang');
    expect(customer?.unverifiedTraits).toEqual(['phone']);
  });

  it('an admin who edits a trait in the Content Manager verifies it', async () => {
    const email = `${newId('cm')}@example.com`.toLowerCase();
    await send(batch(SITE, newId(), [{ type: 'identify', props: { email, name: 'Bob', phone: '+44 20 7946 0000' } }])).expect(202);
    await expect.poll(async () => (await customerByEmail(email))?.name ?? null).toBe('Bob');
    const customer = await customerByEmail(email);
    const admin = await createSuperAdmin(app.strapi);
    const jwt = (await app.request.post('/admin/login').send(admin).expect(200)).body.data.token;
    const res = await app.request
      .put(`/content-manager/collection-types/${CUSTOMER}/${customer?.documentId}`)
      .set('Authorization', `Bearer ${jwt}`)
      .send({ name: 'Robert Li', phone: customer?.phone, email, unverifiedTraits: ['email', 'name', 'phone', 'company'] });
    expect(res.status).toBe(200);
    const after = await customerByEmail(email);
    expect(after?.name).toBe('Robert Li');
    // name changed by the admin: verified; what the form said and nobody touched stays unverified; nothing added
    expect(after?.unverifiedTraits.sort()).toEqual(['email', 'phone']);
  });

  it('a port wildcard does not admit a non-numeric port', async () => {
    expect((await send(batch('dev_site', newId(), [{ type: 'page_view', url: 'http://localhost:3000/' }]), { origin: 'http://localhost:3000' })).status).toBe(202);
    const res = await send(batch('dev_site', newId(), [{ type: 'page_view', url: 'http://localhost/' }]), { origin: 'http://localhost:evil-port' });
    expect(res.status).toBe(403);
  });

  it('errors and preflights echo only origins some site allows', async () => {
    const foreign = 'https://attacker.example.net';
    const refused = await send(batch(SITE, newId(), [{ type: 'page_view' }]), { origin: foreign });
    expect(refused.status).toBe(403);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    const invalid = await send('{"site":', { origin: SHOP });
    expect(invalid.status).toBe(400);
    expect(invalid.headers['access-control-allow-origin']).toBe(SHOP);
    const pre = await app.request.options('/moat/collect').set('Origin', foreign).set('Access-Control-Request-Method', 'POST');
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const ok = await app.request.options('/moat/collect').set('Origin', SHOP).set('Access-Control-Request-Method', 'POST');
    expect(ok.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it('server API timestamps outside 2000 .. now + 1 day are refused with the reason', async () => {
    const email = `${newId('ts')}@example.com`;
    for (const timestamp of ['1999-12-31T23:59:59Z', 946684799999, Date.now() + 2 * 86_400_000, 1_700_000_000 /* seconds, not ms */]) {
      const res = await api('track', { messageId: newId('m'), channel: 'erp', event: 'x', email, timestamp });
      expect([timestamp, res.status]).toEqual([timestamp, 400]);
      expect(res.body.error.message).toMatch(/timestamp: must be between 2000-01-01 and one day after now/);
    }
    expect((await api('track', { messageId: newId('m'), channel: 'erp', event: 'x', email, timestamp: Date.now() + 3_600_000 })).status).toBe(200);
  });

  it('NUL bytes and lone surrogates are replaced (U+FFFD) before storage, and an identifier carrying one is refused', async () => {
    const visitor = newId();
    const body = JSON.stringify(batch(SITE, visitor, [{ type: 'page_view', url: `${SHOP}/a`, title: 'Tray\u0000 \ud800X' }]));
    expect((await send(body)).status).toBe(202);
    const [row] = await touchpointsOf(app.strapi, { visitor_id: visitor });
    expect(row.properties.title).toBe('Tray\uFFFD \uFFFDX');
    const badVisitor = JSON.stringify(batch(SITE, 'v\u0000xxxxxxxxx', [{ type: 'page_view' }]));
    expect((await send(badVisitor)).status).toBe(400);
    const res = await api('track', { messageId: newId('m'), channel: 'whatsapp', event: 'message', email: `${newId('n')}@example.com`, properties: { text: 'hi\u0000there' } });
    expect(res.status).toBe(200);
    const [apiRow] = await touchpointsOf(app.strapi, { customer_id: res.body.customerId });
    expect(apiRow.properties.text).toBe('hi\uFFFDthere');
  });

  it('one request the database refuses fails alone: a NUL title and 50 good requests in the same group commit are all stored and acknowledged', async () => {
    const knex = app.strapi.db.connection;
    // a real database failure for one row: a trigger refuses the title "poison"
    if (isPostgres()) {
      await knex.raw(`CREATE OR REPLACE FUNCTION moat_test_poison() RETURNS trigger AS $$ BEGIN
        IF NEW.properties->>'title' = 'poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
      await knex.raw('CREATE TRIGGER moat_test_poison BEFORE INSERT ON moat_touchpoints FOR EACH ROW EXECUTE FUNCTION moat_test_poison()');
    } else {
      await knex.raw(`CREATE TRIGGER moat_test_poison BEFORE INSERT ON moat_touchpoints
        WHEN json_extract(NEW.properties, '$.title') = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`);
    }
    try {
      const collector = app.strapi.plugin('tracking').service('collector') as { stats(): { batches: number; failures: number } };
      const before = { ...collector.stats() }; // a live object: copy it
      const good = Array.from({ length: 50 }, (_, i) => ({ visitor: newId(), title: `Product ${i}` }));
      const nulVisitor = newId();
      const poisonVisitor = newId();
      const responses = await Promise.all([
        ...good.map((g, i) => send(batch(SITE, g.visitor, [{ type: 'page_view', url: `${SHOP}/p/${i}`, title: g.title }]), { ip: `10.0.${i}.1` })),
        send(JSON.stringify(batch(SITE, nulVisitor, [{ type: 'page_view', url: `${SHOP}/nul`, title: 'N\u0000UL' }])), { ip: '10.1.0.1' }),
        send(batch(SITE, poisonVisitor, [{ type: 'page_view', url: `${SHOP}/poison`, title: 'poison' }]), { ip: '10.2.0.1' }),
      ]);
      const after = collector.stats();
      expect(responses.slice(0, 51).map((r) => r.status)).toEqual(Array(51).fill(202));
      expect(responses[51].status).toBe(503);
      expect(after.failures - before.failures).toBe(1);
      // grouped, not one flush per request
      expect(after.batches - before.batches).toBeLessThan(10);
      for (const g of good) expect((await touchpointsOf(app.strapi, { visitor_id: g.visitor })).map((r) => r.properties.title)).toEqual([g.title]);
      expect((await touchpointsOf(app.strapi, { visitor_id: nulVisitor }))[0].properties.title).toBe('N\uFFFDUL');
      expect(await touchpointsOf(app.strapi, { visitor_id: poisonVisitor })).toEqual([]);
    } finally {
      await knex.raw('DROP TRIGGER moat_test_poison' + (isPostgres() ? ' ON moat_touchpoints' : ''));
    }
  });
});
