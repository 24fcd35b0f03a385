/**
 * The theme app extension's blocks in real Chromium: pages built from the blocks' Liquid output
 * (rendered by liquidjs), served by a stand-in storefront that forwards /apps/moat/* to Moat
 * signed the way Shopify's app proxy signs (shop, logged_in_customer_id, path_prefix, timestamp).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, signProxyQuery } from '../fixtures/shopify';
import { artifactPath, launchChromium } from '../helpers/browser';
import { EXTENSION_DIR, renderBlock, sampleProduct } from '../helpers/shopify-liquid';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { CHROME_UA } from '../helpers/tracking';

const suffix = Date.now().toString(36);
const SHOP = `moat-e2e-${suffix}.myshopify.com`;
const SITE = `shop_e2e_${suffix}`;
const CUSTOMER_ID = '5551234';

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });

const layout = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Steel bolt</title></head><body><main>${body}</main></body></html>`;

/** A storefront: fixed pages, the extension's assets, and the app proxy to Moat. */
async function storefront(moatUrl: string, pages: Record<string, string>) {
  const proxied: Array<{ path: string; status: number }> = [];
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/apps/moat/')) {
      // what Shopify does: strip cookies, append the signed parameters, forward
      const query = signProxyQuery({ ...Object.fromEntries(url.searchParams), shop: SHOP, logged_in_customer_id: CUSTOMER_ID });
      const body = req.method === 'POST' ? new Uint8Array(await readBody(req)) : undefined;
      const target = `${moatUrl}/api/shopify/proxy/${url.pathname.slice('/apps/moat/'.length)}?${query}`;
      const answer = await fetch(target, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'text/plain', accept: req.headers.accept ?? '*/*', 'user-agent': req.headers['user-agent'] ?? '' },
        body,
      });
      proxied.push({ path: url.pathname, status: answer.status });
      const type = answer.headers.get('content-type') ?? 'text/plain';
      // Shopify renders an application/liquid answer inside the theme's layout, as HTML
      if (type.startsWith('application/liquid')) {
        res.writeHead(answer.status, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(layout(await answer.text()));
      }
      res.writeHead(answer.status, { 'content-type': type });
      return res.end(Buffer.from(await answer.arrayBuffer()));
    }
    if (url.pathname.startsWith('/cdn/assets/')) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(readFileSync(join(EXTENSION_DIR, 'assets', url.pathname.slice('/cdn/assets/'.length).replace(/[^a-z.-]/g, ''))));
    }
    const page = pages[url.pathname];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, proxied, close: () => new Promise((r) => server.close(r)) };
}


describe('Shopify theme blocks in Chromium', () => {
  let app: BootedStrapi;
  let browser: Browser;
  beforeAll(async () => {
    app = await bootStrapi({ env: { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET, SHOPIFY_APP_URL: 'https://moat.example.com', MOAT_SITES: `${SITE}=http://127.0.0.1:*` } });
    await app.strapi.plugin('shopify').service('shops').install(SHOP, 'read_products');
    browser = await launchChromium({ userAgent: CHROME_UA });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  async function open(pages: Record<string, string>, path: string, run: (page: Page, store: Awaited<ReturnType<typeof storefront>>) => Promise<void>) {
    const store = await storefront(app.url, pages);
    const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${store.url}${path}`);
      await run(page, store);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await store.close();
    }
  }

  it('shows the FAQ from the block and carries valid FAQPage JSON-LD', async () => {
    const html = await renderBlock('product-faq', { product: sampleProduct() });
    await open({ '/products/steel-bolt': layout(html) }, '/products/steel-bolt', async (page) => {
      const summaries = await page.locator('.moat-faq__item summary').allTextContents();
      expect(summaries).toEqual(['What is the MOQ?', 'Do you ship to "EU" & UK?']);
      // answers are collapsed until asked for, then visible
      await expect.poll(() => page.locator('.moat-faq__answer').first().isVisible()).toBe(false);
      await page.click('text=What is the MOQ?');
      expect(await page.locator('.moat-faq__answer').first().textContent()).toBe('The minimum order is 500 pieces.');
      // the hostile answer stayed text: no script ran, no element was injected
      expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(1);
      const ld = await page.evaluate(() => JSON.parse(document.querySelector('script[type="application/ld+json"]')?.textContent ?? 'null'));
      expect(ld['@context']).toBe('https://schema.org');
      expect(ld['@type']).toBe('FAQPage');
      expect(ld.mainEntity).toHaveLength(2);
      for (const q of ld.mainEntity) {
        expect(q['@type']).toBe('Question');
        expect(typeof q.name).toBe('string');
        expect(q.acceptedAnswer['@type']).toBe('Answer');
        expect(q.acceptedAnswer.text.length).toBeGreaterThan(0);
      }
      expect(ld.mainEntity[1].acceptedAnswer.text).toContain('</script><script>alert(1)</script>');
      await page.screenshot({ path: artifactPath('shopify-faq-block.png') });
    });
  });

  it('submits the RFQ form by fetch through the signed proxy, without a reload: success, then the error state', async () => {
    const html = await renderBlock('inquiry-form', { product: sampleProduct() });
    const services = app.strapi.get('services');
    await open({ '/products/steel-bolt': layout(html) }, '/products/steel-bolt', async (page, store) => {
      await page.evaluate(() => ((window as any).__sameDocument = true));
      await page.selectOption('#moat-rfq-b1-variant', '4002');
      await page.fill('#moat-rfq-b1-quantity', '5000');
      await page.selectOption('#moat-rfq-b1-unit', 'cartons');
      await page.fill('#moat-rfq-b1-price', '0.31');
      await page.selectOption('#moat-rfq-b1-incoterm', 'CIF');
      await page.fill('#moat-rfq-b1-name', 'Ada Buyer');
      await page.fill('#moat-rfq-b1-email', 'ada@example.com');
      await page.fill('#moat-rfq-b1-message', 'Quote CIF Hamburg please');

      await page.click('.moat-rfq__submit');
      await page.waitForSelector('.moat-rfq__status[data-state="success"]');
      expect(await page.textContent('.moat-rfq__status')).toBe('Thank you! We received your inquiry and will reply soon.');
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
      // a CRM inquiry with its product, on the signed-in buyer's customer
      const inquiry = (await app.strapi.documents('plugin::crm.inquiry').findFirst({
        filters: { message: 'Quote CIF Hamburg please' } as never,
        populate: ['customer'] as never,
      })) as any;
      expect(inquiry).toMatchObject({ productKey: '7001', variant: '4002', unit: 'cartons', incoterm: 'CIF', currency: 'USD', channel: 'form' });
      expect([Number(inquiry.quantity), Number(inquiry.targetPrice)]).toEqual([5000, 0.31]);
      expect(inquiry.customer.externalId).toBe(`shopify:${SHOP}:${CUSTOMER_ID}`);
      // the form was reset for another inquiry
      expect(await page.inputValue('#moat-rfq-b1-message')).toBe('');

      // without the CRM's service: 503, shown in place
      const real = services.get('plugin::crm.inquiries');
      services.set('plugin::crm.inquiries', undefined);
      try {
        await page.fill('#moat-rfq-b1-email', 'ada@example.com');
        await page.click('.moat-rfq__submit');
        await page.waitForSelector('.moat-rfq__status[data-state="error"]');
      } finally {
        services.set('plugin::crm.inquiries', real);
      }
      expect(await page.textContent('.moat-rfq__status')).toMatch(/^Sorry, your inquiry could not be sent\. Please try again\. \(inquiries are not accepted: the CRM plugin is not loaded/);
      expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
      expect(store.proxied).toEqual([
        { path: '/apps/moat/inquiry', status: 201 },
        { path: '/apps/moat/inquiry', status: 503 },
      ]);
      await page.screenshot({ path: artifactPath('shopify-rfq-block.png') });
    });
  });

  it('posts without JavaScript to the proxy and shows its answer page', async () => {
    const html = (await renderBlock('inquiry-form', { product: sampleProduct() })).replace(/<script src="[^"]+" defer><\/script>/, '');
    await open({ '/products/steel-bolt': layout(html) }, '/products/steel-bolt', async (page, store) => {
      await page.fill('#moat-rfq-b1-email', 'nojs@example.com');
      await Promise.all([page.waitForURL(/\/apps\/moat\/inquiry$/), page.click('.moat-rfq__submit')]);
      expect(store.proxied).toEqual([{ path: '/apps/moat/inquiry', status: 201 }]);
      // Shopify renders this Liquid inside the theme; here the stand-in shows it as is
      expect(await page.textContent('body')).toContain('thank you');
    });
  });

  it('records a WhatsApp button click as a touchpoint through the tracker (collect)', async () => {
    const settings = { site_key: SITE, endpoint: app.url };
    const tracker = await renderBlock('moat-tracker', { product: sampleProduct() }, { settings });
    const chat = await renderBlock('chat-button', { product: sampleProduct() }, { settings: { number: '+86 138 0000 0000' } });
    const page = layout(`<h1>Steel bolt</h1>${chat}${tracker}<script src="/cdn/assets/moat-tracker.js" async></script><script src="/cdn/assets/moat-chat.js" defer></script>`);
    await open({ '/products/steel-bolt': page }, '/products/steel-bolt', async (tab) => {
      await tab.context().route('https://wa.me/**', (route) => route.fulfill({ status: 200, body: 'whatsapp' }));
      await tab.waitForFunction(() => typeof (window as any).moat?.visitor === 'function');
      const visitor = await tab.evaluate(() => (window as any).moat.visitor());
      const [popup] = await Promise.all([tab.waitForEvent('popup'), tab.click('.moat-chat')]);
      expect(new URL(popup.url()).pathname).toBe('/8613800000000');
      const knex = app.strapi.db.connection;
      await expect
        .poll(async () => (await knex('moat_touchpoints').where({ visitor_id: visitor, type: 'custom' })).length, { timeout: 15_000 })
        .toBe(1);
      const row = await knex('moat_touchpoints').where({ visitor_id: visitor, type: 'custom' }).first();
      const props = typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties;
      expect(props).toMatchObject({ event: 'chat_click', channel: 'whatsapp', product: { id: '7001', title: 'Steel bolt "Heavy" <M10>' } });
      // the embed passed the product and variant from Liquid: the product view carries the variant
      const view = await knex('moat_touchpoints').where({ visitor_id: visitor, type: 'product_view' }).first();
      const viewProps = typeof view.properties === 'string' ? JSON.parse(view.properties) : view.properties;
      expect(viewProps.product).toMatchObject({ id: 7001, handle: 'steel-bolt', variant_id: 4001, sku: 'BOLT-R10' });
    });
  });
});
