/**
 * The CRM's admin API on a real Strapi (SQLite, or PostgreSQL with DATABASE_CLIENT=postgres):
 * list filters and read-own scoping, follow-up logging and stage changes on the timeline, the
 * inquiry board, CSV import (broken rows reported by line; 100,000 rows while /_health keeps
 * answering) and the CSV exports.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminJwt, createAdminInRole, createAdminWithRole, createRoleWithActions } from '../helpers/admin';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const CUSTOMER = 'plugin::crm.customer';
const INQUIRY = 'plugin::crm.inquiry';
const FOLLOW_UP = 'plugin::crm.follow-up';
const tag = () => randomUUID().slice(0, 8);

describe('CRM admin API', () => {
  let app: BootedStrapi;
  let superJwt: string;
  let sales: { jwt: string; id: number };
  let otherSales: { jwt: string; id: number };
  const auth = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });

  const salesUser = async () => {
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'moat-sales' } });
    const credentials = await createAdminInRole(app.strapi, role.id, 'sales');
    const user = await app.strapi.db.query('admin::user').findOne({ where: { email: credentials.email } });
    return { jwt: await adminJwt(app.request, credentials), id: user.id as number };
  };
  const customer = async (data: Record<string, unknown>, ownerId?: number) => {
    const created = await app.strapi.documents(CUSTOMER).create({ data: data as never });
    if (ownerId) await app.strapi.db.query(CUSTOMER).update({ where: { id: created.id }, data: { owner: ownerId } });
    return created.documentId as string;
  };

  beforeAll(async () => {
    app = await bootStrapi();
    superJwt = await adminJwt(app.request, await createAdminWithRole(app.strapi, 'strapi-super-admin'));
    sales = await salesUser();
    otherSales = await salesUser();
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('creates the Sales role once with its actions', async () => {
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'moat-sales' } });
    const perms = await app.strapi.db.query('admin::permission').findMany({ where: { role: { id: role.id } } });
    expect(perms.map((p: { action: string }) => p.action).sort()).toEqual([
      'plugin::crm.customers.read-own',
      'plugin::crm.customers.update',
      'plugin::crm.inquiries.manage',
      'plugin::crm.live.read',
      'plugin::crm.pool.manage',
      'plugin::crm.segments.read',
    ]);
  });

  it('a role without a customer permission gets no customer data (403), whatever else it holds', async () => {
    const roleId = await createRoleWithActions(app.strapi, 'Live only', ['plugin::crm.live.read']);
    const jwt = await adminJwt(app.request, await createAdminInRole(app.strapi, roleId, 'live'));
    const id = await customer({ email: `n-${tag()}@buyer.example` });
    for (const path of ['/crm/customers', `/crm/customers/${id}`, '/crm/inquiries', '/crm/export/customers.csv']) {
      const res = await app.request.get(path).set(auth(jwt));
      expect([path, res.status]).toEqual([path, 403]);
      expect(JSON.stringify(res.body)).not.toContain(id);
    }
    expect((await app.request.get('/crm/live').set(auth(jwt))).status).toBe(200);
  });

  it('filters the list by search, tier, stage, country, owner and score, with paging', async () => {
    const t = tag();
    const a = await customer({ email: `a-${t}@acme.example`, name: `Ada ${t}`, company: 'Acme', tier: 'big_b', stage: 'lead', country: 'DE', score: 80 }, sales.id);
    const b = await customer({ email: `b-${t}@shop.example`, name: `Bo ${t}`, phone: '+4915112345678', tier: 'consumer', stage: 'customer', country: 'FR', score: 20 });
    const c = await customer({ email: `c-${t}@acme.example`, name: `Cy ${t}`, company: `Acme ${t}`, tier: 'big_b', stage: 'lead', country: 'DE', score: 50 }, otherSales.id);
    const list = async (query: Record<string, string | number>) => {
      const res = await app.request.get('/crm/customers').query({ q: t, ...query }).set(auth(superJwt));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.results as Array<{ documentId: string }>).map((r) => r.documentId).sort();
    };
    expect(await list({})).toEqual([a, b, c].sort());
    expect(await list({ tier: 'big_b' })).toEqual([a, c].sort());
    expect(await list({ stage: 'customer' })).toEqual([b]);
    expect(await list({ country: 'de', scoreMin: 60 })).toEqual([a]);
    expect(await list({ scoreMax: 50 })).toEqual([b, c].sort());
    expect(await list({ owner: 'pool' })).toEqual([b]);
    expect(await list({ owner: otherSales.id })).toEqual([c]);
    expect((await app.request.get('/crm/customers').query({ q: `b-${t}` }).set(auth(superJwt))).body.results[0].documentId).toBe(b);
    const paged = await app.request.get('/crm/customers').query({ q: t, pageSize: 2, page: 2 }).set(auth(superJwt));
    expect(paged.body.pagination).toMatchObject({ page: 2, pageSize: 2, total: 3, pageCount: 2 });
    expect(paged.body.results).toHaveLength(1);
    const bad = await app.request.get('/crm/customers').query({ tier: 'huge', pageSize: 1000 }).set(auth(superJwt));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/tier/);
    expect(bad.body.error.message).toMatch(/pageSize/);
  });

  it('read-own: a Sales user sees their own and pool customers only, and 404 for the others', async () => {
    const t = tag();
    const mine = await customer({ email: `mine-${t}@buyer.example` }, sales.id);
    const pool = await customer({ email: `pool-${t}@buyer.example` });
    const theirs = await customer({ email: `theirs-${t}@buyer.example` }, otherSales.id);
    const res = await app.request.get('/crm/customers').query({ q: t }).set(auth(sales.jwt));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { documentId: string }) => r.documentId).sort()).toEqual([mine, pool].sort());
    expect((await app.request.get(`/crm/customers/${mine}`).set(auth(sales.jwt))).status).toBe(200);
    expect((await app.request.get(`/crm/customers/${pool}`).set(auth(sales.jwt))).status).toBe(200);
    expect((await app.request.get(`/crm/customers/${theirs}`).set(auth(sales.jwt))).status).toBe(404);
    expect((await app.request.put(`/crm/customers/${theirs}/stage`).set(auth(sales.jwt)).send({ stage: 'lead' })).status).toBe(404);
    expect((await app.request.post(`/crm/customers/${theirs}/follow-ups`).set(auth(sales.jwt)).send({ channel: 'phone' })).status).toBe(404);
    // may take from the pool for themselves, not give it to someone else
    expect((await app.request.put(`/crm/customers/${pool}/owner`).set(auth(sales.jwt)).send({ ownerId: otherSales.id })).status).toBe(403);
    expect((await app.request.put(`/crm/customers/${pool}/owner`).set(auth(sales.jwt)).send({ ownerId: sales.id })).status).toBe(200);
    expect((await app.request.get(`/crm/customers/${pool}`).set(auth(otherSales.jwt))).status).toBe(404);
    // the export holds only what they see
    const csv = await app.request.get('/crm/export/customers.csv').set(auth(superJwt));
    expect(csv.text).toContain(`theirs-${t}@buyer.example`);
    const inquiryOfTheirs = await app.strapi.documents(INQUIRY).create({ data: { customer: theirs, productTitle: 'Secret', status: 'new' } as never });
    expect((await app.request.put(`/crm/inquiries/${inquiryOfTheirs.documentId}/status`).set(auth(sales.jwt)).send({ status: 'contacted' })).status).toBe(404);
    const board = await app.request.get('/crm/inquiries').set(auth(sales.jwt));
    expect(JSON.stringify(board.body)).not.toContain(inquiryOfTheirs.documentId);
  });

  it('logs a follow-up (a log record and a follow_up_logged touchpoint) and changes the stage (stage_changed)', async () => {
    const id = await customer({ email: `f-${tag()}@buyer.example`, stage: 'lead' }, sales.id);
    const inquiry = await app.strapi.documents(INQUIRY).create({ data: { customer: id, productTitle: 'Widget', status: 'new' } as never });
    const logged = await app.request
      .post(`/crm/customers/${id}/follow-ups`)
      .set(auth(sales.jwt))
      .send({ channel: 'phone', note: 'Called, <script>alert(1)</script> wants 500 pcs', outcome: 'interested', inquiryId: inquiry.documentId });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    const stored = (await app.strapi.documents(FOLLOW_UP).findOne({ documentId: logged.body.documentId, populate: ['by', 'customer', 'inquiry'] as never })) as any;
    expect(stored).toMatchObject({ kind: 'log', status: 'done', channel: 'phone', outcome: 'interested', note: 'Called, <script>alert(1)</script> wants 500 pcs' });
    expect(stored.by.id).toBe(sales.id);
    expect(stored.customer.documentId).toBe(id);
    expect(stored.inquiry.documentId).toBe(inquiry.documentId);
    expect((await app.request.post(`/crm/customers/${id}/follow-ups`).set(auth(sales.jwt)).send({ channel: 'pigeon' })).status).toBe(400);

    const moved = await app.request.put(`/crm/customers/${id}/stage`).set(auth(sales.jwt)).send({ stage: 'negotiating' });
    expect(moved.status).toBe(200);
    expect((await app.request.put(`/crm/customers/${id}/stage`).set(auth(sales.jwt)).send({ stage: 'sold' })).status).toBe(400);
    const inquiryMove = await app.request.put(`/crm/inquiries/${inquiry.documentId}/status`).set(auth(sales.jwt)).send({ status: 'quoted' });
    expect(inquiryMove.status).toBe(200);
    expect((await app.request.put(`/crm/inquiries/${inquiry.documentId}/status`).set(auth(sales.jwt)).send({ status: 'lost' })).status).toBe(400);

    const page = await app.request.get(`/crm/customers/${id}`).set(auth(sales.jwt));
    expect(page.status).toBe(200);
    expect(page.body.customer.stage).toBe('negotiating');
    const items = page.body.timeline.items as Array<{ type: string; channel: string; properties: Record<string, unknown> }>;
    expect(items.map((i) => [i.type, i.channel])).toEqual([
      ['stage_changed', 'crm'],
      ['stage_changed', 'crm'],
      ['follow_up_logged', 'phone'],
    ]);
    const changes = items.filter((i) => i.type === 'stage_changed').map((i) => i.properties);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entity: 'customer', id, from: 'lead', to: 'negotiating' }),
        expect.objectContaining({ entity: 'inquiry', id: inquiry.documentId, from: 'new', to: 'quoted' }),
      ]),
    );
    expect(items.find((i) => i.type === 'follow_up_logged')?.properties).toMatchObject({ followUpId: logged.body.documentId, outcome: 'interested' });
    // the one logged follow-up, beside the open tasks the cadence made for the new inquiry (crm-engage)
    const followUps = page.body.followUps as Array<{ kind: string; documentId: string }>;
    expect(followUps.filter((f) => f.kind === 'log').map((f) => f.documentId)).toEqual([logged.body.documentId]);
    expect(followUps.filter((f) => f.kind !== 'log').every((f) => f.kind === 'task')).toBe(true);
  });

  it('the board shows overdue follow-up tasks on their inquiry', async () => {
    const id = await customer({ email: `o-${tag()}@buyer.example` }, sales.id);
    const inquiry = await app.strapi.documents(INQUIRY).create({ data: { customer: id, productTitle: 'Pump', status: 'contacted' } as never });
    const overdue = await app.strapi.documents(FOLLOW_UP).create({
      data: { inquiry: inquiry.documentId, customer: id, kind: 'task', status: 'open', cadenceStep: 1, dueAt: new Date(Date.now() - 3600_000).toISOString() } as never,
    });
    await app.strapi.documents(FOLLOW_UP).create({
      data: { inquiry: inquiry.documentId, customer: id, kind: 'task', status: 'open', cadenceStep: 3, dueAt: new Date(Date.now() + 86400_000).toISOString() } as never,
    });
    const res = await app.request.get('/crm/inquiries').set(auth(sales.jwt));
    expect(res.status).toBe(200);
    const column = res.body.columns.find((c: { status: string }) => c.status === 'contacted');
    const card = column.cards.find((c: { documentId: string }) => c.documentId === inquiry.documentId);
    expect(card.overdue.map((t: { documentId: string }) => t.documentId)).toEqual([overdue.documentId]);
  });

  it('merges through the admin route: the inquiry moves to the survivor, the loser is gone from the list', async () => {
    const t = tag();
    const a = await customer({ email: `m1-${t}@buyer.example`, name: `Merge ${t}` });
    const b = await customer({ email: `m2-${t}@buyer.example`, name: `Merge ${t}`, company: `Loser Co ${t}` });
    const inquiry = await app.strapi.documents(INQUIRY).create({ data: { customer: b, productTitle: 'Valve', status: 'new' } as never });
    expect((await app.request.post(`/crm/customers/${a}/merge`).set(auth(superJwt)).send({ loserId: a })).status).toBe(400);
    expect((await app.request.post(`/crm/customers/${a}/merge`).set(auth(superJwt)).send({ loser: b })).status).toBe(400);
    const merged = await app.request.post(`/crm/customers/${a}/merge`).set(auth(superJwt)).send({ loserId: b });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body).toMatchObject({ survivorId: a, loserId: b, moved: { inquiries: 1 } });
    expect(merged.body.filled).toContain('company');
    const moved = (await app.strapi.documents(INQUIRY).findOne({ documentId: inquiry.documentId, populate: ['customer'] as never })) as any;
    expect(moved.customer.documentId).toBe(a);
    const page = await app.request.get(`/crm/customers/${a}`).set(auth(superJwt));
    expect(page.body.inquiries.map((i: { documentId: string }) => i.documentId)).toEqual([inquiry.documentId]);
    const list = await app.request.get('/crm/customers').query({ q: `Merge ${t}` }).set(auth(superJwt));
    expect(list.body.results.map((r: { documentId: string }) => r.documentId)).toEqual([a]);
    // merged once: a second merge of the same loser is a conflict, not a 500
    expect((await app.request.post(`/crm/customers/${a}/merge`).set(auth(superJwt)).send({ loserId: b })).status).toBe(409);
    // read-own: a role that may merge but reads only its own cannot merge a customer it does not see
    const roleId = await createRoleWithActions(app.strapi, `Merge own ${t}`, ['plugin::crm.customers.read-own', 'plugin::crm.customers.merge']);
    const mergerJwt = await adminJwt(app.request, await createAdminInRole(app.strapi, roleId, 'merger'));
    const theirs = await customer({ email: `m3-${t}@buyer.example` }, otherSales.id);
    expect((await app.request.post(`/crm/customers/${a}/merge`).set(auth(mergerJwt)).send({ loserId: theirs })).status).toBe(404);
    // the Sales role may not merge at all
    expect((await app.request.post(`/crm/customers/${a}/merge`).set(auth(sales.jwt)).send({ loserId: theirs })).status).toBe(403);
  });

  it('?segment= narrows the list to a saved segment (with the other filters), unknown segment 404', async () => {
    const t = tag();
    const de = await customer({ email: `s1-${t}@buyer.example`, country: 'DE', tier: 'big_b' });
    const de2 = await customer({ email: `s2-${t}@buyer.example`, country: 'DE', tier: 'consumer' });
    await customer({ email: `s3-${t}@buyer.example`, country: 'FR', tier: 'big_b' });
    const saved = await app.request
      .post('/crm/segments')
      .set(auth(superJwt))
      .send({ name: `Germany ${t}`, rules: { op: 'and', rules: [{ field: 'country', in: ['DE'] }] } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const segment = saved.body.data.documentId as string;
    const list = async (query: Record<string, string>) => {
      const res = await app.request.get('/crm/customers').query({ q: `-${t}@`, segment, ...query }).set(auth(superJwt));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.results as Array<{ documentId: string }>).map((r) => r.documentId).sort();
    };
    expect(await list({})).toEqual([de, de2].sort());
    expect(await list({ tier: 'big_b' })).toEqual([de]);
    expect((await app.request.get('/crm/customers').query({ segment: 'no-such-segment' }).set(auth(superJwt))).status).toBe(404);
  });

  const waitForJob = async (id: number, jwt = superJwt) => {
    for (;;) {
      const res = await app.request.get(`/crm/imports/${id}`).set(auth(jwt));
      expect(res.status).toBe(200);
      if (res.body.status !== 'running') return res.body;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const upload = (csv: string, mapping: Record<string, string>) =>
    app.request.post('/crm/imports').set(auth(superJwt)).field('mapping', JSON.stringify(mapping)).attach('file', Buffer.from(csv), 'customers.csv');

  it('imports the good rows of a CSV with broken ones and reports each bad one with its line', async () => {
    const t = tag();
    const existing = await customer({ email: `known-${t}@buyer.example`, name: 'Known Name' });
    const csv = [
      'E-mail,Full name,Land,Tel,Segment,Notes',
      `good1-${t}@buyer.example,Good One,de,+49 151 1234 5678,big_b,x`,
      `not-an-email,Bad Email,DE,,,x`,
      `good2-${t}@Buyer.example,"Quoted, Name",FR,,consumer,x`,
      `good3-${t}@buyer.example,Too,Many,Columns,here,x,extra`,
      `good4-${t}@buyer.example,Bad Country,Germany,,,x`,
      ` GOOD1-${t}@buyer.example ,Duplicate,DE,,,x`,
      `known-${t}@buyer.example,Other Name,JP,,small_b,x`,
      `good5-${t}@buyer.example,<script>alert(1)</script>,US,,huge,x`,
      `good6-${t}@buyer.example,Fine,US,12,,x`,
    ].join('\n');
    const res = await upload(csv, { 'E-mail': 'email', 'Full name': 'name', Land: 'country', Tel: 'phone', Segment: 'tier', Notes: 'ignore' });
    expect(res.status).toBe(202);
    const job = await waitForJob(res.body.id);
    expect(job).toMatchObject({ status: 'done', imported: 2, updated: 1, rejected: 6, progress: 1 });
    expect(job.rejections.map((r: { line: number }) => r.line)).toEqual([3, 5, 6, 7, 9, 10]);
    expect(job.rejections.map((r: { reason: string }) => r.reason.split(':')[0])).toEqual(['email', 'wrong number of columns', 'country', 'email', 'tier', 'phone']);
    expect(job.rejections[3].reason).toContain('line 2');
    const good1 = (await app.strapi.documents(CUSTOMER).findFirst({ filters: { email: `good1-${t}@buyer.example` } as never })) as any;
    expect(good1).toMatchObject({ name: 'Good One', country: 'DE', phone: '+4915112345678', tier: 'big_b', firstSource: 'import' });
    expect(await app.strapi.documents(CUSTOMER).findFirst({ filters: { email: `good2-${t}@buyer.example` } as never })).toMatchObject({ name: 'Quoted, Name' });
    // a known customer keeps their name, gains what they lacked
    expect(await app.strapi.documents(CUSTOMER).findOne({ documentId: existing })).toMatchObject({ name: 'Known Name', country: 'JP', tier: 'small_b' });
    // an imported customer is a real document: it opens and takes updates
    expect((await app.request.get(`/crm/customers/${good1.documentId}`).set(auth(superJwt))).status).toBe(200);
  });

  it('imports birthdays as ISO calendar dates and rejects the ambiguous or impossible ones by line', async () => {
    const t = tag();
    const csv = ['email,生日', `bd1-${t}@buyer.example,1990-12-05`, `bd2-${t}@buyer.example,05/12/1990`, `bd3-${t}@buyer.example,1990-02-30`, `bd4-${t}@buyer.example,`].join('\n');
    const res = await upload(csv, { email: 'email', 生日: 'birthday' });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const job = await waitForJob(res.body.id);
    expect(job).toMatchObject({ status: 'done', imported: 2, rejected: 2 });
    expect(job.rejections).toEqual([
      { line: 3, reason: 'birthday: "05/12/1990" is not a date (YYYY-MM-DD)' },
      { line: 4, reason: 'birthday: "1990-02-30" is not a date (YYYY-MM-DD)' },
    ]);
    const bd1 = (await app.strapi.documents(CUSTOMER).findFirst({ filters: { email: `bd1-${t}@buyer.example` } as never })) as { birthday: string } | null;
    expect(bd1?.birthday).toBe('1990-12-05');
    const bd4 = (await app.strapi.documents(CUSTOMER).findFirst({ filters: { email: `bd4-${t}@buyer.example` } as never })) as { birthday: string | null } | null;
    expect(bd4?.birthday ?? null).toBeNull();
  });

  it('refuses an import without email mapping or file with a 400', async () => {
    expect((await upload('a,b\n1,2\n', { a: 'name' })).body.error.message).toMatch(/email/);
    expect((await app.request.post('/crm/imports').set(auth(superJwt)).field('mapping', '{}')).status).toBe(400);
  });

  it('imports 100,000 rows while /_health keeps answering', async () => {
    const t = tag();
    const lines = ['email,name,country'];
    for (let i = 0; i < 100_000; i++) lines.push(`bulk${i}-${t}@buyer.example,Bulk ${i},${i % 1000 === 7 ? 'XXX' : 'CN'}`);
    const started = Date.now();
    const res = await upload(lines.join('\n'), { email: 'email', name: 'name', country: 'country' });
    expect(res.status).toBe(202);
    let healthChecks = 0;
    let slowest = 0;
    let progressSeen = new Set<number>();
    for (;;) {
      const t0 = Date.now();
      expect((await app.request.get('/_health')).status).toBe(204);
      slowest = Math.max(slowest, Date.now() - t0);
      healthChecks++;
      const job = (await app.request.get(`/crm/imports/${res.body.id}`).set(auth(superJwt))).body;
      progressSeen.add(job.progress);
      if (job.status !== 'running') {
        expect(job).toMatchObject({ status: 'done', imported: 99_900, rejected: 100 });
        expect(job.rejections[0]).toEqual({ line: 9, reason: 'country: "XXX" is not a two-letter country code' });
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    progressSeen = new Set([...progressSeen].filter((p) => p > 0 && p < 1));
    console.log(`100k import: ${Date.now() - started} ms, ${healthChecks} health checks, slowest ${slowest} ms, ${progressSeen.size} progress steps seen`);
    expect(progressSeen.size).toBeGreaterThan(1);
    expect(await app.strapi.documents(CUSTOMER).count({ filters: { email: { $endsWith: `-${t}@buyer.example` } } as never })).toBe(99_900);
  }, 600_000);

  it('exports customers and inquiries as CSV (quoted, formula-safe)', async () => {
    const t = tag();
    const id = await customer({ email: `x-${t}@buyer.example`, name: `=HYPERLINK("evil") ${t}`, company: 'A, "B" & C' });
    await app.strapi.documents(INQUIRY).create({ data: { customer: id, productTitle: `Valve ${t}`, quantity: 20, status: 'new' } as never });
    const customers = await app.request.get('/crm/export/customers.csv').set(auth(superJwt));
    expect(customers.status).toBe(200);
    expect(customers.headers['content-type']).toMatch(/text\/csv/);
    const line = customers.text.split('\r\n').find((l) => l.includes(`x-${t}@`));
    expect(line).toContain(`"'=HYPERLINK(""evil"") ${t}"`);
    expect(line).toContain('"A, ""B"" & C"');
    const inquiries = await app.request.get('/crm/export/inquiries.csv').set(auth(superJwt));
    expect(inquiries.text.split('\r\n').find((l) => l.includes(`Valve ${t}`))).toContain(`x-${t}@buyer.example`);
    expect((await app.request.get('/crm/export/customers.csv').set(auth(sales.jwt))).status).toBe(403);
  });

  it('live visitors: who was active in the last five minutes, with pages, dwell time, cart and the known customer', async () => {
    const id = await customer({ email: `live-${tag()}@buyer.example`, name: 'Live Buyer', score: 42 });
    const visitor = `v_${tag()}${tag()}`;
    const tp = app.strapi.plugin('tracking').service('touchpoints');
    const now = Date.now();
    await tp.recordMany([
      { type: 'page_view', channel: 'web', occurredAt: now - 60_000, visitorId: visitor, customerId: id, url: 'https://shop.example/p/widget', country: 'DE', source: 'google', properties: { title: 'Widget' } },
      { type: 'engagement', channel: 'web', occurredAt: now - 30_000, visitorId: visitor, customerId: id, url: 'https://shop.example/p/widget', properties: { engaged_ms: 25_000 } },
      { type: 'cart_add', channel: 'web', occurredAt: now - 20_000, visitorId: visitor, customerId: id, properties: { items: [{ variant_id: 1, title: 'Widget', quantity: 2 }] } },
      { type: 'page_view', channel: 'web', occurredAt: now - 10 * 60_000, visitorId: `old_${tag()}${tag()}`, url: 'https://shop.example/' },
    ]);
    const res = await app.request.get('/crm/live').set(auth(sales.jwt));
    expect(res.status).toBe(200);
    const live = res.body.visitors.find((v: { visitorId: string }) => v.visitorId === visitor);
    expect(live).toMatchObject({
      country: 'DE',
      source: 'google',
      currentPage: { url: 'https://shop.example/p/widget', title: 'Widget' },
      pages: [{ url: 'https://shop.example/p/widget', dwellMs: 25_000 }],
      cart: [{ title: 'Widget', quantity: 2 }],
      customer: { documentId: id, name: 'Live Buyer', score: 42 },
    });
    expect(res.body.visitors.some((v: { visitorId: string }) => v.visitorId.startsWith('old_'))).toBe(false);
  });
});
