/**
 * Insights acceptance: a generated dataset whose every stage count, rate, ROI, attribution
 * share and monthly top country is known, loaded through the server-side batch API in
 * shuffled order; rollups equal raw, also after late touchpoints; a halved stage is named
 * by the alert with its cost. SQLite by default, PostgreSQL with DATABASE_CLIENT=postgres.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { createApiToken, newId } from '../helpers/tracking';

type Deal = 'order' | 'won' | null;
interface Visitor {
  id: string;
  email: string;
  date: string;
  source: string;
  medium: string;
  campaign: string;
  country: string;
  engaged: 'long' | 'short' | null;
  lead: boolean;
  inquiry: boolean;
  deal: Deal;
  /** an earlier newsletter click (first touch) on 2026-08-03 */
  newsletter: boolean;
}

const GOOGLE = { source: 'google', medium: 'cpc', campaign: 'autumn' };
const FACEBOOK = { source: 'facebook', medium: 'social', campaign: 'fb1' };
const DEAL_VALUE = 1000;

/**
 * 40 visitors per period. Baseline (2026-09-17..30): 20 engage, 10 identify, 8 inquire, 4 deals.
 * Current (2026-10-01..14): the same, except only 4 of the 10 leads inquire (leads → inquiries
 * halved) and 2 of them close (inquiries → deals unchanged at 50 %).
 */
function plan(period: 'baseline' | 'current'): Visitor[] {
  const start = period === 'baseline' ? Date.UTC(2026, 8, 17) : Date.UTC(2026, 9, 1);
  const out: Visitor[] = [];
  for (let i = 0; i < 40; i++) {
    const src = i % 4 === 0 ? FACEBOOK : GOOGLE;
    const lead = i < 10;
    const inquiry = period === 'baseline' ? i < 8 : i < 4;
    const deal: Deal = period === 'baseline' ? (i < 2 ? 'order' : i < 4 ? 'won' : null) : i < 1 ? 'order' : i < 2 ? 'won' : null;
    out.push({
      id: newId('iv'),
      email: `${newId('b').toLowerCase()}@buyer.example`,
      date: new Date(start + (i % 14) * 86_400_000).toISOString().slice(0, 10),
      ...src,
      country: i % 4 === 0 ? 'US' : 'DE',
      engaged: i < 20 ? 'long' : i < 24 ? 'short' : null,
      lead,
      inquiry,
      deal,
      newsletter: i === 1 || i === 2,
    });
  }
  return out;
}

const at = (date: string, minute: number) => `${date}T10:${String(minute).padStart(2, '0')}:00Z`;

function callsOf(v: Visitor): Record<string, unknown>[] {
  const origin = { source: v.source, medium: v.medium, campaign: v.campaign, country: v.country };
  const calls: Record<string, unknown>[] = [
    { action: 'track', messageId: newId('m'), channel: 'web_import', type: 'page_view', anonymousId: v.id, timestamp: at(v.date, 0), url: 'https://shop.example/', ...origin },
  ];
  if (v.engaged) calls.push({ action: 'track', messageId: newId('m'), channel: 'web_import', type: 'engagement', anonymousId: v.id, timestamp: at(v.date, 1), properties: { engaged_ms: v.engaged === 'long' ? 25_000 : 4_000 }, ...origin });
  if (v.newsletter) calls.push({ action: 'track', messageId: newId('m'), channel: 'email', type: 'email_clicked', email: v.email, timestamp: '2026-08-03T09:00:00Z', source: 'newsletter', medium: 'email', campaign: 'nl-aug' });
  if (v.lead) calls.push({ action: 'identify', messageId: newId('m'), channel: 'web_import', anonymousId: v.id, email: v.email, timestamp: at(v.date, 2), properties: { form: 'contact' }, ...origin });
  if (v.inquiry)
    calls.push({
      action: 'track', messageId: newId('m'), channel: 'whatsapp', type: 'inquiry_created', anonymousId: v.id, email: v.email, timestamp: at(v.date, 3), ...origin,
      properties: { inquiry_id: newId('q'), product: { key: 'tray-300', title: 'Tray 300' }, quantity: 300, language: 'en', message: 'What is the MOQ?' },
    });
  if (v.deal === 'order')
    calls.push({ action: 'track', messageId: newId('m'), channel: 'erp', type: 'order_placed', anonymousId: v.id, email: v.email, timestamp: at(v.date, 4), value: DEAL_VALUE, currency: 'USD', properties: { order_id: newId('o') }, ...origin });
  if (v.deal === 'won')
    calls.push({
      action: 'track', messageId: newId('m'), channel: 'crm', type: 'stage_changed', anonymousId: v.id, email: v.email, timestamp: at(v.date, 4), ...origin,
      properties: { entity: 'inquiry', id: newId('q'), from: 'quoted', to: 'won', value: DEAL_VALUE, currency: 'USD' },
    });
  return calls;
}

/** Earlier history for seasonality: January DE has more buyers, US more GMV. */
function historyCalls(): Record<string, unknown>[] {
  const order = (country: string, date: string, value: number) => ({ action: 'track', messageId: newId('m'), channel: 'erp', type: 'order_placed', userId: newId('ERP'), timestamp: `${date}T08:00:00Z`, country, value, currency: 'USD', properties: { order_id: newId('o') } });
  return [order('DE', '2026-01-05', 100), order('DE', '2026-01-06', 100), order('DE', '2025-01-07', 100), order('US', '2026-01-08', 5000), order('US', '2026-03-02', 200), order('FR', '2026-03-03', 150), order('FR', '2025-03-04', 150)];
}

/** A seeded shuffle, so a failure can be replayed. */
function shuffle<T>(items: T[], seed = 16): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const expected = (vs: Visitor[]) => ({
  visitors: vs.length,
  interacting: vs.filter((v) => v.engaged === 'long').length,
  leads: vs.filter((v) => v.lead).length,
  inquiries: vs.filter((v) => v.inquiry).length,
  deals: vs.filter((v) => v.deal).length,
  revenue: vs.filter((v) => v.deal).length * DEAL_VALUE,
});

describe('insights: funnel, rollups, attribution, seasonality and the weakest-stage alert', () => {
  const outbox = mkdtempSync(join(tmpdir(), 'moat-insights-outbox-'));
  let app: BootedStrapi;
  let token: string;
  const baseline = plan('baseline');
  const current = plan('current');
  const api = (path: string) => app.request.get(`/api/insights/v1/${path}`).set('Authorization', `Bearer ${token}`);
  const post = (path: string, body: unknown) => app.request.post(path).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const funnel = async (query: string) => {
    const res = await api(`funnel?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_INSIGHTS_REFRESH_MS: '0', MOAT_INSIGHTS_DIGEST_TO: 'owner@shop.example', MOAT_EMAIL_OUTBOX_DIR: outbox } });
    token = await createApiToken(app.strapi);
    const calls = shuffle([...baseline, ...current].flatMap(callsOf).concat(historyCalls()));
    for (let i = 0; i < calls.length; i += 100) {
      const res = await post('/api/tracking/v1/batch', { batch: calls.slice(i, i + 100) });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const csv = [
      'date,source,medium,campaign,impressions,clicks,spend,currency',
      '2026-10-02,google,cpc,autumn,4000,400,2000,USD',
      '2026-10-03,facebook,social,fb1,6000,100,1000,USD',
      '2026-10-04,google,cpc,autumn,lots,1,1,USD',
      '2026-13-01,google,cpc,autumn,1,1,1,USD',
      '2026-09-20,google,cpc,autumn,10000,500,3000,USD',
    ].join('\n');
    const spend = await post('/api/insights/v1/spend', { csv });
    expect(spend.status, JSON.stringify(spend.body)).toBe(200);
    expect(spend.body.imported).toBe(3);
    expect(spend.body.errors.map((e: { line: number }) => e.line)).toEqual([4, 5]);
    expect(spend.body.errors[0].message).toMatch(/impressions/);
    expect(spend.body.errors[1].message).toMatch(/date/);
  }, 240_000);
  afterAll(async () => {
    await app?.destroy();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('returns every stage count, rate, ROI and the end-to-end product exactly (current period)', async () => {
    const f = await funnel('from=2026-10-01&to=2026-10-14');
    const e = expected(current);
    expect(e).toEqual({ visitors: 40, interacting: 20, leads: 10, inquiries: 4, deals: 2, revenue: 2000 });
    expect(f.counts).toEqual({ impressions: 10_000, clicks: 500, spend: 3000, ...e });
    expect(f.rates.clicks).toBeCloseTo(0.05, 12);
    expect(f.rates.visitors).toBeCloseTo(40 / 500, 12);
    expect(f.rates.interacting).toBeCloseTo(0.5, 12);
    expect(f.rates.leads).toBeCloseTo(0.5, 12);
    expect(f.rates.inquiries).toBeCloseTo(0.4, 12);
    expect(f.rates.deals).toBeCloseTo(0.5, 12);
    expect(f.endToEnd).toBeCloseTo(2 / 10_000, 12);
    expect(f.roi).toBeCloseTo(2000 / 3000, 12);
  });

  it('slices by country, source and campaign', async () => {
    const us = await funnel('from=2026-10-01&to=2026-10-14&country=US');
    expect(us.counts).toMatchObject(expected(current.filter((v) => v.country === 'US')));
    expect(us.counts.spend).toBeNull();
    const google = await funnel('from=2026-10-01&to=2026-10-14&source=google&campaign=autumn');
    expect(google.counts).toMatchObject({ ...expected(current.filter((v) => v.source === 'google')), impressions: 4000, clicks: 400, spend: 2000 });
    expect(google.roi).toBeCloseTo(expected(current.filter((v) => v.source === 'google')).revenue / 2000, 12);
  });

  it('names the halved stage and what it cost', async () => {
    const res = await api('alert?from=2026-10-01&to=2026-10-14');
    expect(res.status).toBe(200);
    expect(res.body.baseline).toMatchObject({ from: '2026-09-17', to: '2026-09-30' });
    expect(res.body.weakest.stage).toBe('inquiries');
    expect(res.body.weakest.rate).toBeCloseTo(0.4, 12);
    expect(res.body.weakest.baselineRate).toBeCloseTo(0.8, 12);
    // 10 leads at 80 % and 50 % would have closed 4 deals; 2 closed: 2 lost at 1000 each
    expect(res.body.weakest.lostDeals).toBeCloseTo(2, 9);
    expect(res.body.weakest.cost).toBeCloseTo(2000, 6);
  });

  it('attributes leads, inquiries and revenue by first and last touch', async () => {
    const res = await api('sources?from=2026-10-01&to=2026-10-14');
    expect(res.status).toBe(200);
    const share = (rows: { source: string; share: number }[], source: string) => rows.find((r) => r.source === source)?.share ?? 0;
    const { firstTouch, lastTouch } = res.body;
    // leads: 10; visitors 0,4,8 from facebook; 1 and 2 clicked the newsletter first
    expect(share(firstTouch.leads, 'newsletter')).toBeCloseTo(2 / 10, 12);
    expect(share(firstTouch.leads, 'facebook')).toBeCloseTo(3 / 10, 12);
    expect(share(firstTouch.leads, 'google')).toBeCloseTo(5 / 10, 12);
    expect(share(lastTouch.leads, 'google')).toBeCloseTo(7 / 10, 12);
    expect(share(lastTouch.leads, 'newsletter')).toBe(0);
    // inquiries: visitors 0..3; revenue: visitor 0 (facebook) and 1 (newsletter first, google last)
    expect(share(firstTouch.inquiries, 'newsletter')).toBeCloseTo(2 / 4, 12);
    expect(share(lastTouch.inquiries, 'google')).toBeCloseTo(3 / 4, 12);
    expect(share(firstTouch.revenue, 'facebook')).toBeCloseTo(0.5, 12);
    expect(share(firstTouch.revenue, 'newsletter')).toBeCloseTo(0.5, 12);
    expect(share(lastTouch.revenue, 'google')).toBeCloseTo(0.5, 12);
  });

  it('ranks countries per calendar month across history', async () => {
    const res = await api('seasonality');
    expect(res.status).toBe(200);
    const month = (m: number) => res.body.months.find((r: { month: number }) => r.month === m);
    expect(month(1).byCustomers[0]).toEqual({ country: 'DE', customers: 3, gmv: 300 });
    expect(month(1).byGmv[0]).toEqual({ country: 'US', customers: 1, gmv: 5000 });
    expect(month(3).byCustomers[0]).toMatchObject({ country: 'FR', customers: 2 });
    expect(month(3).byGmv[0]).toMatchObject({ country: 'FR', gmv: 300 });
    // October: visitor 0 (US) ordered, visitor 1 (DE) won
    expect(month(10).byGmv.map((r: { country: string }) => r.country).sort()).toEqual(['DE', 'US']);
    expect(res.body.heatmap).toContainEqual({ month: 9, country: 'DE', customers: 3, gmv: 3000 });
  });

  it('lists what buyers ask with a link to the FAQ editor', async () => {
    const res = await api('questions?from=2026-09-17&to=2026-10-14');
    expect(res.status).toBe(200);
    expect(res.body.products[0]).toMatchObject({ key: 'tray-300', inquiries: 12 });
    expect(res.body.questions[0]).toMatchObject({ question: 'What is the MOQ?', count: 12, hasFaq: false });
    expect(res.body.questions[0].faqEditor).toContain('tray-300');
  });

  it('rollups equal the raw queries, also after late touchpoints', async () => {
    const slices = ['', '&country=DE', '&source=facebook', '&medium=cpc&campaign=autumn', '&country=US&source=facebook'];
    const ranges = ['from=2026-09-17&to=2026-09-30', 'from=2026-10-01&to=2026-10-14', 'from=2026-08-01&to=2026-10-31', 'from=2026-10-03&to=2026-10-03'];
    const compare = async () => {
      for (const range of ranges)
        for (const slice of slices) {
          const [rollup, raw] = await Promise.all([funnel(`${range}${slice}`), funnel(`${range}${slice}&mode=raw`)]);
          expect(rollup, `${range}${slice}`).toEqual(raw);
        }
    };
    await compare();
    const before = await funnel('from=2026-09-17&to=2026-09-30');
    // late: a customer whose first identify was in October turns out to have identified on
    // 2026-09-20 already (the lead moves to September), and a new visitor on 2026-09-18
    const moved = current[5];
    const lateVisitor = newId('late');
    const late = [
      { action: 'identify', messageId: newId('m'), channel: 'crm_import', email: moved.email, timestamp: '2026-09-20T12:00:00Z', country: 'DE', source: 'google', medium: 'cpc', campaign: 'autumn' },
      { action: 'track', messageId: newId('m'), channel: 'web_import', type: 'page_view', anonymousId: lateVisitor, timestamp: '2026-09-18T12:00:00Z', country: 'DE', source: 'google', medium: 'cpc', campaign: 'autumn' },
    ];
    expect((await post('/api/tracking/v1/batch', { batch: late })).status).toBe(200);
    const rollups = app.strapi.plugin('insights').service('rollups');
    const readsBefore: number = rollups.offLoopReads();
    const after = await funnel('from=2026-09-17&to=2026-09-30');
    // on a SQLite file the refresh scanned the touchpoints on its reader thread, not on the event loop
    if (['better-sqlite3', 'sqlite', 'sqlite3'].includes(String(app.strapi.db.connection.client.config.client))) expect(rollups.offLoopReads()).toBeGreaterThan(readsBefore);
    else expect(rollups.offLoopReads()).toBe(0);
    expect(after.counts).toMatchObject({ visitors: before.counts.visitors + 2, leads: before.counts.leads + 1 });
    expect((await funnel('from=2026-10-01&to=2026-10-14')).counts.leads).toBe(9);
    await compare();
    // and a rebuild from raw gives the same rollups
    const rebuilt = await app.strapi.plugin('insights').service('rollups').rebuild();
    expect(rebuilt.days).toBeGreaterThan(28);
    expect(await funnel('from=2026-09-17&to=2026-09-30')).toEqual(after);
  }, 120_000);

  it('refuses bad ranges with a 400 naming the problem', async () => {
    const cases: Array<[string, RegExp]> = [
      ['from=2026-10-14&to=2026-10-01', /reversed/],
      ['from=2024-01-01&to=2026-10-01', /at most 400/],
      ['from=2026-02-30&to=2026-03-01', /from: not a calendar date/],
      ['from=yesterday&to=2026-03-01', /from: expected a date/],
      ['to=2026-03-01', /from/],
      ['from=2026-10-01&to=2026-10-02&colour=red', /colour/],
    ];
    for (const [query, message] of cases) {
      const res = await api(`funnel?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('server-side API: origin, value and identify properties are first-class; unknown fields are a 400 naming them', async () => {
    const bad = await post('/api/tracking/v1/track', { messageId: 'x1', channel: 'erp', type: 'order_placed', userId: 'E1', value: 10, currency: 'USD', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/colour/);
    const noCurrency = await post('/api/tracking/v1/track', { messageId: 'x2', channel: 'erp', type: 'order_placed', userId: 'E1', value: 10 });
    expect(noCurrency.body.error.message).toMatch(/currency/);
    const badCountry = await post('/api/tracking/v1/identify', { channel: 'erp', userId: 'E1', country: 'Germany' });
    expect(badCountry.body.error.message).toMatch(/country/);
    const inBatch = await post('/api/tracking/v1/batch', { batch: [{ action: 'identify', channel: 'erp', userId: 'E1', region: 'EU' }] });
    expect(inBatch.status).toBe(400);
    expect(inBatch.body.error.message).toMatch(/batch\.0.*region/);
    const ok = await post('/api/tracking/v1/track', { messageId: newId('m'), channel: 'whatsapp', type: 'message_received', userId: 'E2', ip: '8.8.8.8', source: 'WhatsApp', medium: 'chat', campaign: 'ctwa', referrer: 'https://wa.me/1' });
    expect(ok.status).toBe(200);
    const row = await app.strapi.db.connection('moat_touchpoints').where({ customer_id: ok.body.customerId }).first();
    expect(row).toMatchObject({ country: 'US', source: 'whatsapp', source_channel: 'chat' });
    const props = typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties;
    expect(props).toMatchObject({ utm_campaign: 'ctwa', referrer: 'https://wa.me/1' });
  });

  it('backfilled history: a visitor is first and last seen at event times, whatever the load order', async () => {
    const visitor = newId('bf');
    const email = `${newId('bf').toLowerCase()}@buyer.example`;
    const times = ['2026-05-10T10:00:00Z', '2026-03-01T10:00:00Z', '2026-07-04T10:00:00Z'];
    for (const ts of times) {
      expect((await post('/api/tracking/v1/track', { messageId: newId('m'), channel: 'web_import', type: 'page_view', anonymousId: visitor, email, timestamp: ts })).status).toBe(200);
    }
    const v = await app.strapi.db.connection('moat_visitors').where({ visitor_id: visitor }).first();
    expect(Number(v.first_seen_at)).toBe(Date.parse('2026-03-01T10:00:00Z'));
    expect(Number(v.last_seen_at)).toBe(Date.parse('2026-07-04T10:00:00Z'));
  });

  it('sends the weekly digest to the admins through the lifecycle-email send path', async () => {
    const { sent, alert } = await app.strapi.plugin('insights').service('digest').send();
    expect(sent).toBe(1);
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(outbox, files[0])));
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('owner@shop.example');
    expect(mail.subject).toMatch(/^Moat weekly/);
    expect(mail.text).toContain(`${alert.period.from} – ${alert.period.to}`);
  });
});
