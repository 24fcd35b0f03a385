import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { createLocalizedDocument, uniqueKey } from '../helpers/content';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const FAQ = 'plugin::product-content.faq-item';

describe('content team edits product FAQs in the Content Manager', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let admin: AdminCredentials;
  const product = uniqueKey('panel');
  const other = uniqueKey('mug');

  beforeAll(async () => {
    app = await bootStrapi({ admin: true });
    admin = await createSuperAdmin(app.strapi);
    await createLocalizedDocument(app.strapi, FAQ, { en: { productKey: product, position: 1, question: 'Second question?', answer: 'B' } });
    await createLocalizedDocument(app.strapi, FAQ, { en: { productKey: product, position: 0, question: 'First question?', answer: 'A' } });
    await createLocalizedDocument(app.strapi, FAQ, { en: { productKey: other, position: 0, question: 'Other product?', answer: 'C' } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  it('lists items by product key with position, filters by product, and a reorder reaches the API', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await loginAdmin(page, app.url, admin);
    const filter = encodeURIComponent('filters[$and][0][productKey][$eq]');
    await page.goto(`${app.url}/admin/content-manager/collection-types/${FAQ}?page=1&pageSize=50&sort=position:ASC&${filter}=${encodeURIComponent(product)}`);
    const rows = page.locator('tbody tr');
    // rows first render as "Loading content" placeholders: wait for the real ones
    await expect.poll(async () => (await rows.allTextContents()).map((t) => t.match(/(First|Second) question\?/)?.[0] ?? t), { timeout: 30_000 }).toEqual(['First question?', 'Second question?']);
    const headers = await page.locator('thead th').allTextContents();
    expect(headers.join('|')).toMatch(/Product key.*Position.*Question/i);
    expect(await page.locator('tbody').textContent()).not.toContain('Other product?');
    await page.screenshot({ path: artifactPath('admin-faq-list.png') });

    // reorder: open the second item, give it position 0 (and the first 1), publish both
    await page.getByText('Second question?').first().click();
    const position = page.getByLabel(/^position/i);
    await expect.poll(() => page.getByText('Lower comes first; shared by every language').count()).toBe(1);
    // the edit view loads the document after it renders: wait for its values before editing
    await expect.poll(() => position.inputValue(), { timeout: 30_000 }).toBe('1');
    await position.fill('0');
    await expect.poll(() => position.inputValue()).toBe('0');
    await page.getByRole('button', { name: /^publish$/i }).click();
    await page.getByText(/published document/i).first().waitFor({ timeout: 30_000 });
    await expect.poll(async () => {
      const res = await app.request.get(`/api/product-content/products/${product}`);
      return res.body.faqs.map((f: { question: string; position: number }) => `${f.position}:${f.question}`);
    }, { timeout: 30_000 }).toContain('0:Second question?');
    await page.screenshot({ path: artifactPath('admin-faq-edit.png') });
    await page.close();
  });
});
