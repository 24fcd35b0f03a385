import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BootedStrapi } from '../helpers/strapi';
import { bootTwoInstances, type StrapiProcess, type TwoInstances } from '../helpers/strapi-process';
import { batch, CHROME_UA, newId, touchpointsOf } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'shop_main';
const RELOAD_MS = 1500;

/** Two instances on one database, as behind a load balancer without sticky sessions. */
describe('collect on two instances', () => {
  let a: BootedStrapi;
  let b: StrapiProcess;
  let both: TwoInstances;
  beforeAll(async () => {
    both = await bootTwoInstances({ MOAT_SITES: `${SITE}=${SHOP}`, MOAT_SESSION_RELOAD_MS: String(RELOAD_MS) });
    ({ a, b } = both);
  }, 120_000);
  afterAll(async () => {
    await both?.destroy();
  });

  const send = (to: BootedStrapi | StrapiProcess, visitor: string, events: Parameters<typeof batch>[2]) =>
    to.request
      .post('/moat/collect')
      .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
      .send(JSON.stringify(batch(SITE, visitor, events)))
      .expect(202);

  it('joins every event to the customer identified on the other instance, in one session', async () => {
    const visitor = newId();
    const email = `${newId('two').toLowerCase()}@example.com`;
    await send(a, visitor, [{ type: 'page_view', url: `${SHOP}/` }]);
    // the visitor's form lands on instance B, which joins the visitor to a customer
    await send(b, visitor, [{ type: 'form_submit', url: `${SHOP}/pages/contact`, props: { form: 'contact', fields: { email } } }]);
    await expect
      .poll(async () => (await touchpointsOf(a.strapi, { visitor_id: visitor, type: 'form_submit' }))[0]?.customer_id ?? null, { timeout: 10_000 })
      .not.toBeNull();
    // A still holds the visitor as anonymous in memory: this event may be stored without the customer
    await send(a, visitor, [{ type: 'page_view', url: `${SHOP}/products/tray` }]);
    // once A reads the visitor again it carries the customer, and joins what it stored meanwhile
    await new Promise((r) => setTimeout(r, RELOAD_MS + 200));
    await send(a, visitor, [{ type: 'page_view', url: `${SHOP}/cart` }]);
    await expect
      .poll(async () => (await touchpointsOf(a.strapi, { visitor_id: visitor })).map((t) => [t.path, t.customer_id === null ? 'anonymous' : 'joined']), {
        timeout: 10_000,
      })
      .toEqual([
        ['/', 'joined'],
        ['/pages/contact', 'joined'],
        ['/products/tray', 'joined'],
        ['/cart', 'joined'],
      ]);
    const rows = await touchpointsOf(a.strapi, { visitor_id: visitor });
    expect(new Set(rows.map((t) => t.customer_id)).size).toBe(1);
    expect(new Set(rows.map((t) => t.session_id)).size).toBe(1);
  });
});
