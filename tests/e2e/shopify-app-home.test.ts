/**
 * The embedded app home in real Chromium: with Shopify's CDN unreachable it still shows the
 * connection, the backfill's progress and the admin link (no CSP error); with App Bridge
 * there (a stub serving a real session token), its script refreshes the progress from
 * /api/shopify/app/status.
 */
import { createHmac } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET } from '../fixtures/shopify';
import { launchChromium } from '../helpers/browser';
import { adminApiStandIn, type StandInShop } from '../helpers/shopify-admin-api';
import { sessionToken } from '../helpers/shopify-session-token';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const shop = `moat-home-${Date.now().toString(36)}.myshopify.com`;

describe('Shopify embedded app home (Chromium)', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let standIn: Awaited<ReturnType<typeof adminApiStandIn>>;

  beforeAll(async () => {
    const spec: StandInShop = { token: 'shpat_home_e2e', customers: 2, products: 2, orders: 6, firstId: 80_000_000 + Math.floor(Math.random() * 1000) * 1000 };
    standIn = await adminApiStandIn(new Map([[shop, spec]]));
    app = await bootStrapi({ env: { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET, SHOPIFY_APP_URL: 'https://moat.example.com', MOAT_SHOPIFY_API_ORIGIN: standIn.url } });
    const { Session } = await import('@shopify/shopify-api');
    await app.strapi.plugin('shopify').service('session-storage').storeSession(new Session({ id: `offline_${shop}`, shop, state: '', isOnline: false, accessToken: spec.token }));
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_orders');
    await app.strapi.plugin('shopify').service('backfill').start(shop);
    await app.strapi.plugin('shopify').service('backfill').idle(shop);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await standIn?.close();
  });

  const appLoadUrl = () => {
    const params = new URLSearchParams({ embedded: '1', host: Buffer.from(`admin.shopify.com/store/${shop.split('.')[0]}`).toString('base64url'), shop, timestamp: String(Math.floor(Date.now() / 1000)) });
    const sorted = new URLSearchParams([...params].sort(([a], [b]) => a.localeCompare(b)));
    return `${app.url}/api/shopify/app?${sorted}&hmac=${createHmac('sha256', APP_SECRET).update(sorted.toString()).digest('hex')}`;
  };

  it('renders the status, progress and admin link with the CDN unreachable, without CSP errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => /Content Security Policy|Refused/.test(m.text()) && problems.push(m.text()));
    await page.route('https://cdn.shopify.com/**', (route) => route.abort('internetdisconnected'));
    await page.goto(appLoadUrl());
    await expect.poll(() => page.locator('#connection').textContent()).toContain('Connected');
    expect(await page.locator('tr[data-resource="orders"] [data-field="status"]').textContent()).toBe('done');
    expect(await page.locator('tr[data-resource="orders"] [data-field="count"]').textContent()).toContain('6 / 6');
    expect(await page.getByRole('link', { name: 'Open the Moat admin' }).getAttribute('href')).toBe('https://moat.example.com/admin');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refreshes the progress through App Bridge’s session token', async () => {
    const page = await browser.newPage();
    const token = sessionToken(shop, { claims: { exp: Math.floor(Date.now() / 1000) + 600 } });
    // App Bridge stand-in: what the real script exposes to the page, shopify.idToken()
    await page.route('https://cdn.shopify.com/**', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: `window.shopify = { idToken: function () { return Promise.resolve(${JSON.stringify(token)}); } };` }),
    );
    const statusCalls: string[] = [];
    page.on('request', (r) => r.url().includes('/api/shopify/app/status') && statusCalls.push(r.headers().authorization ?? ''));
    // progress moves on after the page was rendered: the script shows the new count
    await page.goto(appLoadUrl());
    await app.strapi.db.connection('shopify_backfill_jobs').where({ shop, resource: 'orders' }).update({ done: 4, total: 8, status: 'running' });
    await expect.poll(() => page.locator('tr[data-resource="orders"] [data-field="count"]').textContent(), { timeout: 15_000 }).toContain('4 / 8');
    expect(await page.locator('tr[data-resource="orders"] [data-field="status"]').textContent()).toBe('running');
    expect(statusCalls[0]).toBe(`Bearer ${token}`);
    await page.close();
  });
});
