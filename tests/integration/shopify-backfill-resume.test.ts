/**
 * The backfill's acceptance run: 10,000 orders (with customers and products) from a stand-in
 * Admin API that answers 429 (Retry-After) and 503 at random, imported by a Moat instance in
 * its own process that is killed with SIGKILL mid-way; a restarted instance takes over the
 * expired lease, resumes at the last committed cursor, and every order ends stored once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET } from '../fixtures/shopify';
import { adminJwt, createSuperAdmin } from '../helpers/admin';
import { adminApiStandIn, type StandInShop } from '../helpers/shopify-admin-api';
import { type StrapiProcess, spawnStrapi } from '../helpers/strapi-process';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const ORDERS = 10_000;
const CUSTOMERS = 150;
const PRODUCTS = 40;
const shop = `moat-resume-${Date.now().toString(36)}.myshopify.com`;
const token = `shpat_resume_${Date.now().toString(36)}`;

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Shopify backfill: 10,000 orders, a kill -9 mid-way, a restart', () => {
  let app: BootedStrapi;
  let standIn: Awaited<ReturnType<typeof adminApiStandIn>>;
  const children: StrapiProcess[] = [];
  let env: Record<string, string>;

  beforeAll(async () => {
    const shops = new Map<string, StandInShop>([[shop, { token, customers: CUSTOMERS, products: PRODUCTS, orders: ORDERS, firstId: 50_000_000 + Math.floor(Math.random() * 1000) * 1_000_000 }]]);
    standIn = await adminApiStandIn(shops, { rate429: 0.15, first429: true, retryAfter: '0.5', rate503: 0.03 });
    env = {
      SHOPIFY_API_KEY: APP_KEY,
      SHOPIFY_API_SECRET: APP_SECRET,
      SHOPIFY_APP_URL: 'https://moat.example.com',
      MOAT_SHOPIFY_API_ORIGIN: standIn.url,
      // every instance decrypts the same stored access token
      MOAT_SHOPIFY_TOKEN_KEY: 'moat-backfill-resume-test-token-key',
      MOAT_SHOPIFY_BACKFILL_LEASE_S: '3',
    };
    app = await bootStrapi({ env });
    const { Session } = await import('@shopify/shopify-api');
    await app.strapi.plugin('shopify').service('session-storage').storeSession(new Session({ id: `offline_${shop}`, shop, state: '', isOnline: false, accessToken: token, scope: 'read_orders,read_customers,read_products' }));
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_orders,read_customers,read_products');
  }, 120_000);
  afterAll(async () => {
    for (const child of children) await child.kill();
    await app?.destroy();
    await standIn?.close();
  });

  const knex = () => app.strapi.db.connection;
  const job = (resource: string) => knex()('shopify_backfill_jobs').where({ shop, resource }).first();
  const jobs = () => knex()('shopify_backfill_jobs').where({ shop }).orderBy('resource');

  it('imports every order exactly once across the crash', async () => {
    const first = await spawnStrapi(app.database, env);
    children.push(first);
    const jwt = await adminJwt(first.request, await createSuperAdmin(app.strapi));
    const started = Date.now();
    expect((await first.request.post('/shopify/backfill').set('Authorization', `Bearer ${jwt}`).send({ shop })).status).toBe(202);
    await until('a quarter of the orders', () => job('orders'), (row) => Number(row?.done ?? 0) >= ORDERS / 4, 20 * 60_000);
    await first.kill();
    const killedAt = Date.now();

    // what the killed instance left: a running job, its lease, the last committed page
    const left = await job('orders');
    expect(left).toMatchObject({ status: 'running', total: ORDERS });
    expect(left.lease_owner).toMatch(/:\d+:/);
    expect(left.cursor).toBeTruthy();
    expect(Number(left.done)).toBeGreaterThan(0);
    expect(Number(left.done)).toBeLessThan(ORDERS);
    console.log(`killed after ${killedAt - started} ms with ${left.done} orders committed`);

    // a restarted instance picks the backfill up on its own (bootstrap), once the lease expires
    const second = await spawnStrapi(app.database, env);
    children.push(second);
    const finished = await until(
      'the backfill to finish',
      () => jobs(),
      (rows) => rows.length === 3 && rows.every((r: { status: string }) => r.status !== 'running' && r.status !== 'pending'),
      30 * 60_000,
    );
    console.log(`resumed and finished ${Date.now() - killedAt} ms after the kill (${app.database.client})`);
    expect(finished.map((r: { resource: string; status: string; done: number | string; total: number | string; error: string | null; lease_owner: string | null }) => [r.resource, r.status, Number(r.done), Number(r.total), r.error, r.lease_owner])).toEqual([
      ['customers', 'done', CUSTOMERS, CUSTOMERS, null, null],
      ['orders', 'done', ORDERS, ORDERS, null, null],
      ['products', 'done', PRODUCTS, PRODUCTS, null, null],
    ]);

    // the restart asked Shopify for the page after the last committed one, never an earlier
    // one (the stand-in's page_info carries the offset)
    const offset = (pageInfo: string | null) => (pageInfo ? JSON.parse(Buffer.from(pageInfo, 'base64url').toString()).after : 0);
    const orderPages = standIn.served.filter((r) => r.resource === 'orders' && r.status === 200);
    const afterKill = orderPages.filter((r) => r.at > killedAt);
    expect(afterKill[0].pageInfo).toBe(left.cursor);
    expect(offset(left.cursor)).toBe(Number(left.done));
    expect(Math.min(...afterKill.map((r) => offset(r.pageInfo)))).toBe(Number(left.done));
    // every one of the 40 pages was read
    expect(new Set(orderPages.map((r) => offset(r.pageInfo))).size).toBe(ORDERS / 250);
    console.log(`${orderPages.length} order pages read for 40 (a page is read again after a kill or a database error)`);
    const refused = standIn.served.filter((r) => r.status === 429).length;
    expect(refused).toBeGreaterThan(0);
    console.log(`${standIn.served.length} Admin API requests, ${refused} answered 429, ${standIn.served.filter((r) => r.status === 503).length} answered 503`);

    // every order exactly once on the timeline; every customer and product once
    const [orders] = await knex()('moat_touchpoints')
      .where({ channel: 'shopify', site: shop, type: 'order_placed' })
      .select(knex().raw('count(*) as n'), knex().raw('count(distinct dedupe_key) as d'));
    expect([Number(orders.n), Number(orders.d)]).toEqual([ORDERS, ORDERS]);
    const [customers] = await knex()('crm_customers').where('external_id', 'like', `shopify:${shop}:%`).count({ n: '*' });
    expect(Number(customers.n)).toBe(CUSTOMERS);
    const [products] = await knex()('shopify_products').where({ shop }).count({ n: '*' });
    expect(Number(products.n)).toBe(PRODUCTS);
  }, 40 * 60_000);
});
