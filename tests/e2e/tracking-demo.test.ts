import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchChromium } from '../helpers/browser';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { CHROME_UA } from '../helpers/tracking';

describe('demo storefront at /moat/demo (development)', () => {
  let app: BootedStrapi;
  let browser: Browser;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_DEMO: 'true' } });
    browser = await launchChromium({ userAgent: CHROME_UA });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  it('shows a newcomer their events arriving, and the quote request joins them to a customer', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/moat/demo`);
    // the cart is recorded by the Shopify add-on the tracker loads (a person is slower than this)
    await page.waitForFunction(() => (window as any).moatLoaded?.includes('shopify'));
    await page.click('#add button');
    await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === 'Cart: 1');
    await page.waitForFunction(() => document.querySelectorAll('#events li').length >= 3, undefined, { timeout: 15_000 });
    const listed = await page.locator('#events li b').allTextContents();
    expect(listed).toEqual(expect.arrayContaining(['page_view', 'product_view', 'cart_add']));
    await page.fill('#rfq [name=name]', 'Demo Buyer');
    await page.fill('#rfq [name=email]', 'demo.buyer@example.com');
    await page.fill('#rfq [name=company]', 'Demo GmbH');
    await page.fill('#rfq [name=message]', '500 trays, FOB Ningbo');
    await Promise.all([page.waitForURL(/\/moat\/demo\/rfq$/), page.click('#rfq button')]);
    await page.goto(`${app.url}/moat/demo`);
    await page.waitForFunction(() => document.getElementById('cust')?.textContent !== 'anonymous', undefined, { timeout: 15_000 });
    const customer = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email: 'demo.buyer@example.com' } });
    expect(customer).toMatchObject({ name: 'Demo Buyer', company: 'Demo GmbH' });
    expect(await page.textContent('#cust')).toBe('Demo Buyer <demo.buyer@example.com>');
    await page.waitForFunction(() => [...document.querySelectorAll('#events li b')].some((b) => b.textContent === 'form_submit'));
    await page.screenshot({ path: artifactPath('tracking-demo.png'), fullPage: true });
    await page.close();
  });
});
