/**
 * Segments: rules compiled to SQL return exactly the customers an independent evaluation of
 * the same generated dataset expects; saved segments through the admin routes; bad rules 400
 * naming the rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER, crmClock, DAY, INQUIRY, type TestAdmin, testAdmin } from '../helpers/crm-engage';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const NOW = Date.parse('2026-04-01T12:00:00Z');
const TIERS = ['big_b', 'small_b', 'consumer'];
const STAGES = ['subscriber', 'lead', 'inquiry', 'negotiating', 'customer', 'loyal', 'advocate'];
const COUNTRIES = ['DE', 'FR', 'US', 'CN'];
const LANGUAGES = ['de-DE', 'fr', 'en-US', 'zh-Hans'];

interface Row {
  i: number;
  documentId: string;
  tier: string;
  stage: string;
  country: string;
  language: string;
  tags: string[] | null;
  score: number;
  consent: string;
  ordersCount: number;
  totalSpent: number;
  lastSeenDaysAgo: number | null;
  productViewDaysAgo: number | null;
  inquiry: string | null;
  merged: boolean;
}

function spec(i: number): Omit<Row, 'documentId'> {
  return {
    i,
    tier: TIERS[i % 3],
    stage: STAGES[i % 7],
    country: COUNTRIES[i % 4],
    language: LANGUAGES[i % 4],
    tags: i % 7 === 6 ? null : i % 5 === 0 ? ['vip', 'wholesale'] : i % 2 === 0 ? ['wholesale'] : [],
    score: i * 3,
    consent: i % 2 ? 'subscribed' : 'unknown',
    ordersCount: i % 4,
    totalSpent: i * 100,
    lastSeenDaysAgo: i % 9 === 8 ? null : i,
    productViewDaysAgo: i % 3 === 0 ? i : null,
    inquiry: i % 4 === 1 ? 'won' : i % 4 === 2 ? 'new' : null,
    merged: i === 29,
  };
}

describe('CRM segments', () => {
  let app: BootedStrapi;
  let admin: TestAdmin;
  const rows: Row[] = [];

  beforeAll(async () => {
    app = await bootStrapi();
    admin = await testAdmin(app);
    crmClock(app.strapi).set(NOW);
    for (let i = 0; i < 30; i++) {
      const s = spec(i);
      const doc = await app.strapi.documents(CUSTOMER).create({
        data: {
          email: `seg-${i}@segments.example`,
          tier: s.tier,
          stage: s.stage,
          country: s.country,
          language: s.language,
          tags: s.tags,
          score: s.score,
          emailConsent: s.consent,
          ordersCount: s.ordersCount,
          totalSpent: s.totalSpent,
          lastSeenAt: s.lastSeenDaysAgo === null ? null : new Date(NOW - s.lastSeenDaysAgo * DAY - 1000).toISOString(),
          mergedInto: s.merged ? 'someone-else' : null,
        } as any,
      });
      if (s.productViewDaysAgo !== null)
        await app.strapi
          .plugin('tracking')
          .service('touchpoints')
          .record({ type: 'product_view', channel: 'web', customerId: doc.documentId, occurredAt: NOW - s.productViewDaysAgo * DAY - 1000 });
      if (s.inquiry) await app.strapi.documents(INQUIRY).create({ data: { customer: doc.documentId, status: s.inquiry } as any });
      rows.push({ ...s, documentId: doc.documentId });
    }
  });
  afterAll(async () => {
    crmClock(app.strapi).set(null);
    await app?.destroy();
  });

  const auth = () => ({ Authorization: `Bearer ${admin.jwt}` });
  const members = async (rules: unknown) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ documentId: string }>; nextCursor: string | null } = await app.strapi
        .plugin('crm')
        .service('segments')
        .members(rules, { cursor, limit: 7 });
      seen.push(...page.items.map((m) => m.documentId));
      cursor = page.nextCursor;
    } while (cursor);
    return seen.sort();
  };
  const expected = (keep: (r: Row) => boolean) =>
    rows
      .filter((r) => !r.merged && keep(r))
      .map((r) => r.documentId)
      .sort();

  const cases: Array<[string, unknown, (r: Row) => boolean]> = [
    ['tier and score', { op: 'and', rules: [{ field: 'tier', in: ['big_b'] }, { field: 'score', min: 30 }] }, (r) => r.tier === 'big_b' && r.score >= 30],
    [
      'or of a country and an and-group',
      { op: 'or', rules: [{ field: 'country', in: ['de'] }, { op: 'and', rules: [{ field: 'tags', values: ['vip'] }, { field: 'consent', in: ['subscribed'] }] }] },
      (r) => r.country === 'DE' || (!!r.tags?.includes('vip') && r.consent === 'subscribed'),
    ],
    ['tags all', { op: 'and', rules: [{ field: 'tags', match: 'all', values: ['vip', 'wholesale'] }] }, (r) => !!r.tags?.includes('vip') && !!r.tags.includes('wholesale')],
    ['tags none', { op: 'and', rules: [{ field: 'tags', match: 'none', values: ['wholesale'] }] }, (r) => !r.tags?.includes('wholesale')],
    ['language prefix and stage', { op: 'and', rules: [{ field: 'language', in: ['de', 'zh-Hans'] }, { field: 'stage', in: ['lead', 'customer', 'loyal'] }] }, (r) => ['de-DE', 'zh-Hans'].includes(r.language) && ['lead', 'customer', 'loyal'].includes(r.stage)],
    ['last seen within 10 days', { op: 'and', rules: [{ field: 'lastSeen', withinDays: 10 }] }, (r) => r.lastSeenDaysAgo !== null && r.lastSeenDaysAgo < 10],
    ['not seen within 20 days (or never)', { op: 'and', rules: [{ field: 'lastSeen', notWithinDays: 20 }] }, (r) => r.lastSeenDaysAgo === null || r.lastSeenDaysAgo >= 20],
    ['viewed a product within 7 days', { op: 'and', rules: [{ field: 'touchpoint', type: 'product_view', withinDays: 7 }] }, (r) => r.productViewDaysAgo !== null && r.productViewDaysAgo < 7],
    ['no product view within 20 days', { op: 'and', rules: [{ field: 'touchpoint', type: 'product_view', withinDays: 20, absent: true }] }, (r) => r.productViewDaysAgo === null || r.productViewDaysAgo >= 20],
    ['a won inquiry', { op: 'and', rules: [{ field: 'inquiryStatus', in: ['won'] }] }, (r) => r.inquiry === 'won'],
    ['orders and spend', { op: 'and', rules: [{ field: 'ordersCount', min: 2, max: 3 }, { field: 'totalSpent', max: 1500 }] }, (r) => r.ordersCount >= 2 && r.totalSpent <= 1500],
    [
      'three levels deep',
      { op: 'and', rules: [{ field: 'consent', in: ['subscribed'] }, { op: 'or', rules: [{ field: 'tier', in: ['consumer'] }, { op: 'and', rules: [{ field: 'country', in: ['US'] }, { field: 'score', max: 40 }] }] }] },
      (r) => r.consent === 'subscribed' && (r.tier === 'consumer' || (r.country === 'US' && r.score <= 40)),
    ],
  ];

  for (const [name, rules, keep] of cases) {
    it(`returns exactly the expected members: ${name}`, async () => {
      const want = expected(keep);
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(29);
      expect(await members(rules)).toEqual(want);
      expect(await app.strapi.plugin('crm').service('segments').count(rules)).toBe(want.length);
    });
  }

  it('filters another query with applyTo (the customer list, campaigns)', async () => {
    const knex = app.strapi.db.connection;
    const qb = knex('crm_customers').select('document_id').where('email', 'like', 'seg-%');
    app.strapi.plugin('crm').service('segments').applyTo(qb, { op: 'and', rules: [{ field: 'tier', in: ['small_b'] }] });
    expect((await qb).map((r: { document_id: string }) => r.document_id).sort()).toEqual(expected((r) => r.tier === 'small_b'));
  });

  it('saves, counts, lists members of, updates and deletes a segment through the admin API', async () => {
    const rules = { op: 'and', rules: [{ field: 'tier', in: ['big_b'] }] };
    const live = await app.request.post('/crm/segments/count').set(auth()).send({ rules });
    expect(live.status).toBe(200);
    expect(live.body.count).toBe(expected((r) => r.tier === 'big_b').length);
    const created = await app.request.post('/crm/segments').set(auth()).send({ name: 'Big buyers', description: 'big B', rules });
    expect(created.status).toBe(201);
    const id = created.body.data.documentId;
    const page = await app.request.post('/crm/segments/members').set(auth()).send({ segment: id, limit: 100 });
    expect(page.status).toBe(200);
    expect(page.body.items.map((m: { documentId: string }) => m.documentId).sort()).toEqual(expected((r) => r.tier === 'big_b'));
    const updated = await app.request.put(`/crm/segments/${id}`).set(auth()).send({ rules: { op: 'and', rules: [{ field: 'tier', in: ['consumer'] }] } });
    expect(updated.status).toBe(200);
    expect(await app.strapi.plugin('crm').service('segments').count(id)).toBe(expected((r) => r.tier === 'consumer').length);
    expect((await app.request.get('/crm/segments').set(auth())).body.data.map((s: { name: string }) => s.name)).toContain('Big buyers');
    expect((await app.request.delete(`/crm/segments/${id}`).set(auth())).status).toBe(204);
    expect((await app.request.get(`/crm/segments/${id}`).set(auth())).status).toBe(404);
  });

  it('answers bad rules with 400 naming the rule', async () => {
    const deep = (n: number): unknown => (n === 0 ? { field: 'tier', in: ['big_b'] } : { op: 'and', rules: [deep(n - 1)] });
    const bad: Array<[unknown, RegExp]> = [
      [{ op: 'and', rules: [{ field: 'shoeSize', in: ['42'] }] }, /^rules\.rules\[0\]\.field: unknown field "shoeSize"/],
      [{ op: 'and', rules: [{ field: 'tier', in: ['whale'] }] }, /^rules\.rules\[0\]\.in\[0\]: /],
      [{ op: 'and', rules: [{ field: 'tier', in: ['big_b'] }, { field: 'score', min: 50, max: 10 }] }, /^rules\.rules\[1\]: min is above max/],
      [{ op: 'xor', rules: [{ field: 'tier', in: ['big_b'] }] }, /^rules\.op: /],
      [{ op: 'and', rules: [] }, /^rules\.rules: an empty group/],
      [{ op: 'and', rules: [{ field: 'touchpoint', type: 'DROP TABLE', withinDays: 7 }] }, /^rules\.rules\[0\]\.type: a touchpoint type/],
      [{ op: 'and', rules: [{ field: 'lastSeen', withinDays: 99999 }] }, /^rules\.rules\[0\]\.withinDays: /],
      [{ op: 'and', rules: [{ field: 'country', in: ["DE' OR 1=1 --"] }] }, /^rules\.rules\[0\]\.in\[0\]: a two-letter country code/],
      [deep(6), /groups nest at most 4 deep/],
      [{ op: 'or', rules: Array.from({ length: 3 }, () => ({ op: 'or', rules: Array.from({ length: 20 }, () => ({ field: 'tier', in: ['big_b'] })) })) }, /at most 50 conditions/],
      [null, /^rules: a group/],
      ['tier = big_b', /^rules: a group/],
    ];
    for (const [rules, message] of bad) {
      const res = await app.request.post('/crm/segments/count').set(auth()).send({ rules });
      expect(res.status, JSON.stringify(rules).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const noName = await app.request.post('/crm/segments').set(auth()).send({ rules: { op: 'and', rules: [{ field: 'tier', in: ['big_b'] }] } });
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toMatch(/^name: /);
    expect((await app.request.post('/crm/segments/members').set(auth()).send({ rules: { op: 'and', rules: [{ field: 'tier', in: ['big_b'] }] }, cursor: 'abc' })).status).toBe(400);
  });
});
