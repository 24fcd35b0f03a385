/**
 * Tiers and scores: a scripted touchpoint sequence on the CRM clock gives exact tier, score,
 * grade and explanation (which sums to the score); after collect, the score follows without
 * the 202 waiting for it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER, crmClock, DAY, INQUIRY, setCrmConfig } from '../helpers/crm-engage';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, newId } from '../helpers/tracking';

const SITE = 'score_shop';
const SHOP = 'https://score-shop.example';
const NOW = Date.parse('2026-03-01T00:00:00Z');

describe('CRM tiers and scores', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_SITES: `${SITE}=${SHOP}`, IS_PROXIED: 'true' } });
  });
  afterAll(async () => {
    crmClock(app.strapi).set(null);
    await app?.destroy();
  });

  const identify = async (email: string) => (await app.strapi.plugin('crm').service('customers').identify({ email })).documentId as string;
  const unique = () => randomUUID().slice(0, 8);
  const record = (customerId: string, items: Array<[type: string, daysAgo: number, path?: string]>) =>
    app.strapi
      .plugin('tracking')
      .service('touchpoints')
      .recordMany(items.map(([type, daysAgo, path]) => ({ type, channel: 'web', customerId, occurredAt: NOW - daysAgo * DAY, path: path ?? null })));
  const stored = async (documentId: string) => (await app.strapi.documents(CUSTOMER).findOne({ documentId })) as any;

  it('scores a scripted sequence exactly, with a 14-day half-life, and explains every point', async () => {
    crmClock(app.strapi).set(NOW);
    const customerId = await identify(`buyer-${unique()}@acme-industrial.example`);
    await record(customerId, [
      ['page_view', 0, '/about'],
      ['page_view', 0, '/'],
      ['page_view', 14, '/pages/pricing'], // 5 × 0.5
      ['product_view', 14],
      ['product_view', 14],
      ['product_view', 14], // 3 × 3 × 0.5 = 4.5
      ['cart_add', 0],
      ['cart_remove', 0], // worth nothing
      ['form_submit', 28], // 10 × 0.25
      ['email_opened', 0],
      ['email_opened', 0],
      ['email_clicked', 0],
      ['message_received', 7], // 8 × 2^-0.5 = 5.66
      ['quote_opened', 0],
      ['custom', 0], // worth nothing
      ['order_placed', 200], // outside the 180-day window
      ['quote_opened', -1], // after now: not yet
    ]);
    const result = await app.strapi.plugin('crm').service('scoring').recompute(customerId);
    const expected = [
      { type: 'quote_opened', count: 1, points: 10 },
      { type: 'message_received', count: 1, points: 6 },
      { type: 'cart', count: 1, points: 5 },
      { type: 'product_view', count: 3, points: 5 },
      { type: 'email_clicked', count: 1, points: 3 },
      { type: 'form_submit', count: 1, points: 3 },
      { type: 'pricing_view', count: 1, points: 3 },
      { type: 'email_opened', count: 2, points: 2 },
      { type: 'page_view', count: 2, points: 2 },
    ];
    expect(result.items).toEqual(expected);
    const customer = await stored(customerId);
    expect(customer.score).toBe(39);
    expect(customer.grade).toBe('B');
    expect(customer.tier).toBe('small_b');
    expect(customer.scoreExplanation.items).toEqual(expected);
    expect(customer.scoreExplanation.items.reduce((sum: number, i: { points: number }) => sum + i.points, 0)).toBe(customer.score);
    expect(customer.scoreExplanation.tierReasons).toEqual(['business domain acme-industrial.example']);

    // two half-lives later everything is worth a quarter
    crmClock(app.strapi).set(NOW + 28 * DAY);
    await app.strapi.plugin('crm').service('scoring').recompute(customerId);
    const later = await stored(customerId);
    expect(later.scoreExplanation.items.reduce((sum: number, i: { points: number }) => sum + i.points, 0)).toBe(later.score);
    // every category rounds to 1 point but quote_opened: 2.5 + the open that was "tomorrow" (10 × 2^-27/14 = 2.62) → 5
    expect(later.score).toBe(13);
    expect(later.grade).toBe('C');
  });

  it('tiers from signals: free mailbox, business domain, quantity asked, order value, repeat orders', async () => {
    crmClock(app.strapi).set(NOW);
    const tierOf = async (id: string) => (await app.strapi.plugin('crm').service('scoring').recompute(id)).tier;
    const consumer = await identify(`ada-${unique()}@gmail.com`);
    const business = await identify(`ops-${unique()}@widgets-gmbh.example`);
    const bigAsk = await identify(`lee-${unique()}@qq.com`);
    await app.strapi.documents(INQUIRY).create({ data: { customer: bigAsk, quantity: 1500, unit: 'pcs' } as any });
    const smallAsk = await identify(`kim-${unique()}@yahoo.com`);
    await app.strapi.documents(INQUIRY).create({ data: { customer: smallAsk, quantity: 60 } as any });
    const repeat = await identify(`joe-${unique()}@hotmail.com`);
    await app.strapi.documents(CUSTOMER).update({ documentId: repeat, data: { ordersCount: 3, totalSpent: 300 } as any });
    const bigSpender = await identify(`max-${unique()}@outlook.com`);
    await app.strapi.documents(CUSTOMER).update({ documentId: bigSpender, data: { ordersCount: 1, totalSpent: 25000 } as any });
    expect({
      consumer: await tierOf(consumer),
      business: await tierOf(business),
      bigAsk: await tierOf(bigAsk),
      smallAsk: await tierOf(smallAsk),
      repeat: await tierOf(repeat),
      bigSpender: await tierOf(bigSpender),
    }).toEqual({ consumer: 'consumer', business: 'small_b', bigAsk: 'big_b', smallAsk: 'small_b', repeat: 'small_b', bigSpender: 'big_b' });
    expect((await stored(bigAsk)).scoreExplanation.tierReasons).toEqual(['quantity 1500 ≥ 1000']);
  });

  it('follows collect: the 202 comes back while scoring is held, the score arrives after', async () => {
    crmClock(app.strapi).set(null);
    setCrmConfig(app.strapi, 'scoring', { debounceMs: 50 });
    const scoring = app.strapi.plugin('crm').service('scoring');
    const original = scoring.recompute;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started: string[] = [];
    scoring.recompute = async (id: string) => {
      started.push(id);
      await gate;
      return original.call(scoring, id);
    };
    try {
      const email = `live-${unique()}@acme-live.example`;
      const visitor = newId();
      const now = Date.now();
      const res = await app.request
        .post('/moat/collect')
        .set('User-Agent', CHROME_UA)
        .set('Origin', SHOP)
        .set('Content-Type', 'text/plain;charset=UTF-8')
        .send(
          JSON.stringify(
            batch(SITE, visitor, [
              { type: 'identify', props: { email }, ts: now - 30 },
              { type: 'product_view', url: `${SHOP}/products/widget`, ts: now - 20 },
              { type: 'page_view', url: `${SHOP}/pages/quote`, ts: now - 10 },
            ]),
          ),
        );
      expect(res.status).toBe(202);
      const customer = (await app.strapi.documents(CUSTOMER).findFirst({ filters: { email } })) as any;
      // answered before any score was written
      expect(customer.score).toBe(0);
      const deadline = Date.now() + 10_000;
      while (!started.includes(customer.documentId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(started).toContain(customer.documentId);
      expect((await stored(customer.documentId)).score).toBe(0); // still held
      release();
      await scoring.idle();
      const scored = await stored(customer.documentId);
      // product view 3 + pricing/quote page 5 (+ the identify, worth nothing), fresh
      expect(scored.score).toBe(8);
      expect(scored.scoreExplanation.items).toEqual([
        { type: 'pricing_view', count: 1, points: 5 },
        { type: 'product_view', count: 1, points: 3 },
      ]);
    } finally {
      release();
      scoring.recompute = original;
    }
  });
});
