import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startStorefront, type StorefrontOptions } from '../fixtures/storefront';
import { hidePage, useTrackerSuite } from '../helpers/tracker-browser';
import { touchpointsOf } from '../helpers/tracking';

const SITE = 'shop_consent';

/** A stand-in for Shopify's Customer Privacy API, as a theme page has it. */
const SHOPIFY_PRIVACY = `<script>window.Shopify={loadFeatures(features,cb){setTimeout(()=>cb())},
customerPrivacy:{analyticsProcessingAllowed:()=>false}};</script>`;

describe('tracker consent (real Chromium)', () => {
  const suite = useTrackerSuite(SITE);

  /** Opens the product page, records every request to /moat/collect, and does some shopping. */
  async function visit(options: StorefrontOptions, init?: string) {
    const store = await startStorefront({ tracker: `${suite.app.url}/moat/t.js`, site: SITE, ...options });
    const context = await suite.browser.newContext();
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    const sent: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/moat/collect')) sent.push(r.url());
    });
    await page.goto(`${store.url}/products/bamboo-tray`);
    await page.waitForFunction(() => typeof (window as any).moat?.visitor === 'function' && (window as any).moatLoaded?.includes('shopify'));
    await page.click('#add');
    await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '1');
    const visitor: string = await page.evaluate(() => (window as any).moat.visitor());
    return {
      page,
      sent,
      visitor,
      async hide() {
        await hideAndWait(page);
      },
      async close() {
        await context.close();
        await store.close();
      },
    };
  }

  const hideAndWait = async (page: Page) => {
    await hidePage(page);
    await page.waitForTimeout(1500); // longer than the tracker's 1 s batching delay
  };

  const stored = async (visitor: string) => (await touchpointsOf(suite.app.strapi, { visitor_id: visitor })).map((r) => r.type);

  it('data-consent="required": nothing is sent until moat.consent(true), then the waiting events flow', async () => {
    const v = await visit({ attributes: 'data-consent="required"' });
    try {
      await v.hide();
      expect(v.sent).toEqual([]);
      expect(await stored(v.visitor)).toEqual([]);
      expect(await v.page.evaluate(() => localStorage.getItem('moat_vid'))).toBeNull(); // no id kept before consent
      await v.page.evaluate(() => (window as any).moat.consent(true));
      await v.page.waitForTimeout(1500);
      expect(v.sent.length).toBeGreaterThan(0);
      await expect.poll(() => stored(v.visitor), { timeout: 10_000 }).toEqual(['page_view', 'product_view', 'cart_add', 'engagement']);
      expect(await v.page.evaluate(() => localStorage.getItem('moat_vid'))).toBe(v.visitor);
    } finally {
      await v.close();
    }
  });

  it('moat.consent(false): the queue is dropped and nothing is ever sent', async () => {
    const v = await visit({ attributes: 'data-consent="required"' });
    try {
      await v.page.evaluate(() => (window as any).moat.consent(false));
      await v.page.click('#qty');
      await v.page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '3');
      await v.page.evaluate(() => (window as any).moat.track('quote_opened', { sku: 'T-1' }));
      await v.hide();
      expect(v.sent).toEqual([]);
      expect(await stored(v.visitor)).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it('Shopify Customer Privacy: denied sends nothing; granting through visitorConsentCollected lets events flow', async () => {
    const v = await visit({ head: SHOPIFY_PRIVACY });
    try {
      await v.page.waitForTimeout(1500);
      expect(v.sent).toEqual([]);
      await v.page.evaluate(() =>
        document.dispatchEvent(new CustomEvent('visitorConsentCollected', { detail: { analyticsAllowed: true, marketingAllowed: false } })),
      );
      await v.page.click('#qty');
      await v.page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '3');
      await v.hide();
      await expect.poll(() => stored(v.visitor), { timeout: 10_000 }).toEqual(['page_view', 'product_view', 'cart_add', 'cart_update', 'engagement']);
    } finally {
      await v.close();
    }
  });

  it('Shopify Customer Privacy already granted: events flow without a prompt', async () => {
    const granted = SHOPIFY_PRIVACY.replace('analyticsProcessingAllowed:()=>false', 'analyticsProcessingAllowed:()=>true');
    const v = await visit({ head: granted });
    try {
      await v.hide();
      await expect.poll(() => stored(v.visitor), { timeout: 10_000 }).toEqual(['page_view', 'product_view', 'cart_add', 'engagement']);
    } finally {
      await v.close();
    }
  });

  it('Shopify app embed: the tracker reads its JSON config and follows Customer Privacy', async () => {
    const granted = SHOPIFY_PRIVACY.replace('analyticsProcessingAllowed:()=>false', 'analyticsProcessingAllowed:()=>true');
    const v = await visit({ head: granted, appEmbed: { endpoint: `${suite.app.url}/moat/collect` } });
    try {
      await v.hide();
      await expect.poll(() => stored(v.visitor), { timeout: 10_000 }).toEqual(['page_view', 'product_view', 'cart_add', 'engagement']);
    } finally {
      await v.close();
    }
  });

  it('Global Privacy Control with data-gpc="respect": nothing is sent', async () => {
    const v = await visit(
      { attributes: 'data-gpc="respect"' },
      'Object.defineProperty(Navigator.prototype, "globalPrivacyControl", { get: () => true })',
    );
    try {
      await v.hide();
      expect(v.sent).toEqual([]);
      expect(await stored(v.visitor)).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it('without a consent setting (implied consent) events flow', async () => {
    const v = await visit({});
    try {
      await v.hide();
      expect(v.sent.length).toBeGreaterThan(0);
      await expect.poll(() => stored(v.visitor), { timeout: 10_000 }).toEqual(['page_view', 'product_view', 'cart_add', 'engagement']);
    } finally {
      await v.close();
    }
  });
});
