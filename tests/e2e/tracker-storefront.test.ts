import { describe, expect, it } from 'vitest';
import { startStorefront } from '../fixtures/storefront';
import { artifactPath } from '../helpers/browser';
import { hidePage, useTrackerSuite, waitFor } from '../helpers/tracker-browser';
import { CHROME_UA, touchpointsOf } from '../helpers/tracking';

const SITE = 'shop_e2e';

describe('browser tracker on a Shopify-like storefront (real Chromium)', () => {
  const suite = useTrackerSuite(SITE);

  /** The shopper's journey; returns what the theme itself saw. */
  async function shop(withTracker: boolean) {
    const store = await startStorefront(withTracker ? { tracker: `${suite.app.url}/moat/t.js`, site: SITE } : {});
    const context = await suite.browser.newContext({ userAgent: CHROME_UA, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${store.url}/products/bamboo-tray?utm_source=spring&utm_medium=email`);
      if (withTracker) await page.waitForFunction(() => typeof (window as any).moat?.visitor === 'function' && (window as any).moatLoaded?.includes('shopify'));
      await page.click('#add');
      await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '1');
      await page.click('#qty');
      await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '3');
      await page.click('#xhr-add');
      await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '5');
      await page.mouse.move(200, 200);
      await page.waitForTimeout(300);
      await page.click('#about');
      await page.waitForFunction(() => location.pathname === '/pages/about');
      await page.waitForTimeout(200);
      const themeLog = await page.evaluate(() => (window as any).__themeLog);
      const visitor = withTracker ? await page.evaluate(() => (window as any).moat.visitor()) : null;
      await page.fill('#nemail', 'Lin.Buyer@Example.com');
      await Promise.all([page.waitForURL(/customer_posted=true/), page.click('#subscribe')]);
      await page.fill('#cname', 'Lin Buyer');
      await page.fill('#cemail', 'lin.buyer@example.com');
      await page.fill('#cbody', 'Do you ship 500 trays to Hamburg?');
      await Promise.all([page.waitForURL(/contact_posted=true/), page.click('#contact-send')]);
      await page.waitForTimeout(300);
      const notice = await page.textContent('#notice');
      if (withTracker) await page.screenshot({ path: artifactPath('tracker-storefront.png') });
      await hidePage(page);
      return { themeLog, requests: store.requests, notice, errors, visitor, finalUrl: page.url().replace(store.url, '') };
    } finally {
      await context.close();
      await store.close();
    }
  }

  it('stores exactly the journey, joins the visitor to the customer, and leaves the page unchanged', async () => {
    const without = await shop(false);
    const withTracker = await shop(true);
    const visitor = withTracker.visitor as string;
    expect(visitor).toMatch(/^[a-z0-9]{8,}$/);
    // ids start with the time (base 36 ms), so the server's id indexes grow at their end
    const minted = Number.parseInt(visitor.slice(0, 8), 36);
    expect(Math.abs(minted - Date.now())).toBeLessThan(10 * 60_000);

    // the page behaved exactly as without the tracker
    expect(withTracker.errors).toEqual([]);
    expect(withTracker.themeLog).toEqual(without.themeLog);
    expect(withTracker.requests).toEqual(without.requests);
    expect(withTracker.notice).toBe('Thanks for contacting us.');
    expect(withTracker.finalUrl).toBe(without.finalUrl);

    const rows = await waitFor(
      async () => {
        const r = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
        return r.filter((x) => x.type === 'engagement').length >= 4 ? r : undefined;
      },
      'the last engagement event',
      15_000,
      async () => (await touchpointsOf(suite.app.strapi, { visitor_id: visitor })).map((r) => `${r.type} ${r.path}`),
    );
    await new Promise((r) => setTimeout(r, 500)); // nothing else may arrive
    const final = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
    expect(final).toHaveLength(rows.length);
    expect(final.map((r) => `${r.type} ${r.path}`)).toEqual([
      'page_view /products/bamboo-tray',
      'product_view /products/bamboo-tray',
      'cart_add /products/bamboo-tray',
      'cart_update /products/bamboo-tray',
      'cart_add /products/bamboo-tray',
      'engagement /products/bamboo-tray',
      'page_view /pages/about',
      'form_submit /pages/about',
      'engagement /pages/about',
      'page_view /',
      'form_submit /',
      'engagement /',
      'page_view /',
      'engagement /',
    ]);
    const byType = (type: string) => final.filter((r) => r.type === type);
    expect(byType('product_view')[0].properties.product).toEqual({
      id: 7001,
      handle: 'bamboo-tray',
      title: 'Bamboo serving tray',
      price: 1299,
      currency: 'USD',
    });
    expect(byType('cart_add').map((r) => r.properties.items)).toEqual([
      [{ variant_id: 40001, quantity: 1 }],
      [{ variant_id: 40002, quantity: 2 }],
    ]);
    expect(byType('cart_update')[0].properties.items).toEqual([{ line: 1, quantity: 3 }]);
    const [newsletter, contact] = byType('form_submit');
    expect(newsletter.properties).toMatchObject({ form: 'newsletter', fields: { email: 'Lin.Buyer@Example.com' } });
    expect(contact.properties).toMatchObject({ form: 'contact' });
    expect(contact.properties.fields).toEqual({
      name: 'Lin Buyer',
      email: 'lin.buyer@example.com',
      message: 'Do you ship 500 trays to Hamburg?',
    });
    expect(JSON.stringify(final)).not.toContain('SECRET-CSRF');
    for (const e of byType('engagement')) expect(e.properties.engaged_ms).toBeGreaterThan(0);
    expect(final[0]).toMatchObject({ source: 'spring', source_channel: 'email', device: 'desktop', browser: 'Chrome' });
    expect(new Set(final.map((r) => r.session_id)).size).toBe(1);

    // the newsletter form identified the visitor: every touchpoint is on the customer's timeline
    const customer = await waitFor(
      async () => (await suite.app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email: 'lin.buyer@example.com' } })) ?? undefined,
      'the customer',
    );
    expect(customer.name).toBe('Lin Buyer');
    const joined = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
    expect(joined.every((r) => r.customer_id === customer.documentId)).toBe(true);
    // the web journey (the contact form also made an inquiry: an inquiry_created on channel crm)
    const timeline = await suite.app.strapi.plugin('tracking').service('timeline').list(customer.documentId, { limit: 5, channels: ['web'] });
    expect(timeline.items.map((t: { type: string }) => t.type)).toEqual(['engagement', 'page_view', 'engagement', 'form_submit', 'page_view']);
    expect(timeline.nextCursor).toBeTruthy();
  });

  it('keeps events through collect failures and retries them; the page never notices', async () => {
    const store = await startStorefront({ tracker: `${suite.app.url}/moat/t.js`, site: SITE });
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 } });
    let failures = 0;
    await context.route('**/moat/collect', (route) => (failures++ < 2 ? route.fulfill({ status: 503, body: '{}' }) : route.continue()));
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${store.url}/products/bamboo-tray`);
      await page.click('#add');
      await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '1');
      const visitor: string = await page.evaluate(() => (window as any).moat.visitor());
      const rows = await waitFor(async () => {
        const r = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
        return r.length >= 3 ? r : undefined;
      }, 'the retried events');
      expect(failures).toBeGreaterThanOrEqual(3);
      expect(rows.map((r) => r.type)).toEqual(['page_view', 'product_view', 'cart_add']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await store.close();
    }
  });

  it('records an add-to-cart form that no script intercepts (full-page POST to the cart)', async () => {
    const store = await startStorefront({ tracker: `${suite.app.url}/moat/t.js`, site: SITE });
    const page = await suite.browser.newPage();
    try {
      await page.goto(`${store.url}/fr/products/bamboo-tray`);
      await page.waitForFunction(() => typeof (window as any).moat?.visitor === 'function' && (window as any).moatLoaded?.includes('shopify'));
      const visitor: string = await page.evaluate(() => (window as any).moat.visitor());
      await Promise.all([page.waitForURL(/\/cart$/), page.click('#buy-now')]);
      const rows = await waitFor(async () => {
        const r = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
        return r.some((x) => x.path === '/cart') && r.some((x) => x.type === 'cart_add') ? r : undefined;
      }, 'the cart add and the cart page view');
      expect(rows.filter((r) => r.type === 'cart_add').map((r) => [r.path, r.properties.items])).toEqual([
        ['/fr/products/bamboo-tray', [{ variant_id: 40003, quantity: 2 }]],
      ]);
      expect(rows.some((r) => r.type === 'form_submit')).toBe(false);
    } finally {
      await page.close();
      await store.close();
    }
  });

  it('classifies an RFQ form without secrets, records every cart endpoint, identify() and track()', async () => {
    const store = await startStorefront({ tracker: `${suite.app.url}/moat/t.js`, site: SITE });
    const context = await suite.browser.newContext({ locale: 'de-DE', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    try {
      await page.goto(`${store.url}/pages/wholesale`);
      await page.waitForFunction(() => typeof (window as any).moat?.visitor === 'function' && (window as any).moatLoaded?.includes('shopify'));
      const visitor: string = await page.evaluate(() => (window as any).moat.visitor());
      await page.evaluate(async () => {
        const post = (url: string, body: BodyInit, json = false) =>
          fetch(url, { method: 'POST', body, headers: json ? { 'content-type': 'application/json' } : {} });
        await post('/cart/add.js', JSON.stringify({ id: 40001, quantity: 1 }), true);
        await post('/cart/update.js', JSON.stringify({ updates: { 40001: 4 } }), true);
        await post('/fr/cart/change', new URLSearchParams({ line: '1', quantity: '0' }));
        await post('/cart/clear.js', '');
        (window as any).moat.identify({ customer_id: 'shop-778', email: 'li.wholesale@example.com' });
        (window as any).moat.track('quote_opened', { sku: 'T-1' });
      });
      await page.fill('#rname', 'Li Wholesale');
      await page.fill('#remail', 'li.wholesale@example.com');
      await page.fill('#rphone', '+86 574 0000');
      await page.fill('#rcompany', 'Li Trading');
      await page.fill('#rmsg', '2,000 trays, FOB Ningbo');
      await page.fill('#rpass', 'hunter2-secret');
      await page.fill('#rcard', '4111111111111111');
      await Promise.all([page.waitForURL(/sent=1/), page.click('#rfq-send')]);
      const rows = await waitFor(async () => {
        const r = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
        return r.filter((x) => x.type === 'page_view').length >= 2 ? r : undefined;
      }, 'the second page view');
      const byType = (type: string) => rows.filter((r) => r.type === type);
      expect(rows.filter((r) => r.type.startsWith('cart_')).map((r) => [r.type, r.properties.items ?? null])).toEqual([
        ['cart_add', [{ variant_id: 40001, quantity: 1 }]],
        ['cart_update', [{ variant_id: 40001, quantity: 4 }]],
        ['cart_remove', [{ line: 1, quantity: 0 }]],
        ['cart_clear', null],
      ]);
      expect(byType('custom')[0].properties).toEqual({ event: 'quote_opened', sku: 'T-1' });
      expect(byType('identify')[0].properties).toEqual({ customer_id: 'shop-778', email: 'li.wholesale@example.com' });
      const [rfq] = byType('form_submit');
      expect(rfq.properties.form).toBe('inquiry');
      expect(rfq.properties.fields).toEqual({
        name: 'Li Wholesale',
        email: 'li.wholesale@example.com',
        phone: '+86 574 0000',
        company: 'Li Trading',
        message: '2,000 trays, FOB Ningbo',
      });
      const stored = JSON.stringify(rows);
      for (const secret of ['hunter2-secret', '4111111111111111', 'SECRET-CSRF-2']) expect(stored).not.toContain(secret);
      const customer = await suite.app.strapi.documents('plugin::crm.customer').findFirst({ filters: { externalId: 'shop-778' } });
      expect(customer).toMatchObject({ email: 'li.wholesale@example.com', name: 'Li Wholesale', company: 'Li Trading' });
      expect(await suite.app.strapi.db.connection('moat_visitors').where({ visitor_id: visitor }).first()).toMatchObject({
        timezone: 'Asia/Shanghai',
        language: 'de-DE',
        customer_id: customer?.documentId,
      });
    } finally {
      await context.close();
      await store.close();
    }
  });
});
