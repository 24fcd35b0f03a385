import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { bootTwoInstances, type StrapiProcess, type TwoInstances } from '../helpers/strapi-process';
import { batch, CHROME_UA, newId } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'shop_main';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

type Instance = Pick<BootedStrapi, 'request'> | StrapiProcess;
const post = (to: Instance, ip: string) =>
  to.request
    .post('/moat/collect')
    .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain', 'X-Forwarded-For': ip })
    .send(JSON.stringify(batch(SITE, newId(), [{ type: 'page_view', url: `${SHOP}/` }])));
/** an address no earlier run has counted in Redis within its window */
const freshIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

describe('collect rate limits shared in Redis (MOAT_RATE_LIMIT_STORE=redis)', () => {
  let a: BootedStrapi;
  let b: StrapiProcess;
  let both: TwoInstances;
  beforeAll(async () => {
    both = await bootTwoInstances({ MOAT_SITES: `${SITE}=${SHOP}`, IS_PROXIED: 'true', MOAT_COLLECT_IP_LIMIT: '5', MOAT_RATE_LIMIT_STORE: 'redis', REDIS_URL });
    ({ a, b } = both);
  }, 120_000);
  afterAll(async () => {
    await both?.destroy();
  });

  it('counts one client across both instances', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (const to of [a, b, a, b, a, b]) statuses.push((await post(to, ip)).status);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const limited = await post(a, ip);
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(/too many requests from this address/);
    expect((await post(b, freshIp())).status).toBe(202); // another client is not affected
  });
});

describe('collect rate limits when Redis is unreachable', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    // port 1: nothing listens; the limiter falls back to counting in memory
    app = await bootStrapi({
      env: { MOAT_SITES: `${SITE}=${SHOP}`, IS_PROXIED: 'true', MOAT_COLLECT_IP_LIMIT: '3', MOAT_RATE_LIMIT_STORE: 'redis', REDIS_URL: 'redis://127.0.0.1:1' },
    });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('still accepts events and still limits, in memory, instead of failing', async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await post(app, ip)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
