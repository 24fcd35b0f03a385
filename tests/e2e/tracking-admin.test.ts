import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, newId } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';

describe('store owner checks the tracking install in the admin', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let admin: AdminCredentials;
  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_SITES: `main_shop=${SHOP} https://www.shop.example.com` } });
    admin = await createSuperAdmin(app.strapi);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  it('shows the snippet per site, counts by type and source, and the latest touchpoints live', async () => {
    const send = (events: Parameters<typeof batch>[2]) =>
      app.request
        .post('/moat/collect')
        .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
        .send(JSON.stringify(batch('main_shop', newId(), events)));
    await send([{ type: 'page_view', url: `${SHOP}/?utm_source=news&utm_medium=email` }, { type: 'cart_add', url: `${SHOP}/products/tray`, props: { items: [] } }]);
    await send([{ type: 'page_view', url: `${SHOP}/products/tray`, referrer: 'https://www.google.com/' }]);

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/plugins/tracking`);
    await expect.poll(() => page.getByTestId('moat-snippet').first().textContent(), { timeout: 30_000 }).toBe(
      `<script async src="${app.url}/moat/t.js" data-site="main_shop"></script>`,
    );
    expect(await page.getByTestId('moat-site').textContent()).toContain('https://www.shop.example.com');
    await expect.poll(() => page.getByTestId('moat-type-bar').allTextContents(), { timeout: 30_000 }).toEqual(['page_view2', 'cart_add1']);
    expect((await page.getByTestId('moat-source-bar').allTextContents()).sort()).toEqual(['email1', 'organic search1']);
    await expect.poll(() => page.getByTestId('moat-touchpoint-row').count(), { timeout: 30_000 }).toBe(3);

    // a new event shows up without reloading the page
    await send([{ type: 'form_submit', url: `${SHOP}/pages/contact`, props: { form: 'contact', fields: {} } }]);
    await expect.poll(() => page.getByTestId('moat-touchpoint-row').count(), { timeout: 30_000 }).toBe(4);
    expect(await page.getByTestId('moat-touchpoint-row').first().textContent()).toContain('form_submit');
    await page.screenshot({ path: artifactPath('tracking-admin.png'), fullPage: true });
    await page.close();
  });

  it('adds a site in the admin, shows its snippet, refuses a bad origin with the reason, edits and removes it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/plugins/tracking`);
    await expect.poll(() => page.getByTestId('moat-site').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByTestId('moat-site').first().textContent()).toContain('from configuration');

    await page.getByLabel('Site key').fill('wp_store');
    await page.getByLabel('Allowed origins').fill('https://wp.example.org/shop');
    await page.getByRole('button', { name: 'Add site' }).click();
    await expect.poll(() => page.getByTestId('moat-add-site-error').textContent(), { timeout: 10_000 }).toMatch(/must be an origin like https:\/\/shop\.example\.com/);
    expect(await page.getByTestId('moat-site').count()).toBe(1);

    await page.getByLabel('Allowed origins').fill('https://wp.example.org\nhttps://www.wp.example.org');
    await page.getByRole('button', { name: 'Add site' }).click();
    await expect.poll(() => page.getByTestId('moat-site').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => page.getByTestId('moat-snippet').allTextContents()).toContain(`<script async src="${app.url}/moat/t.js" data-site="wp_store"></script>`);
    const added = page.getByTestId('moat-site').filter({ hasText: 'wp_store' });
    expect(await added.textContent()).toContain('https://wp.example.org, https://www.wp.example.org');
    // collect takes the new key from that origin at once
    const res = await app.request
      .post('/moat/collect')
      .set({ Origin: 'https://www.wp.example.org', 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
      .send(JSON.stringify(batch('wp_store', newId(), [{ type: 'page_view', url: 'https://www.wp.example.org/' }])));
    expect(res.status).toBe(202);
    await page.screenshot({ path: artifactPath('tracking-admin-sites.png'), fullPage: true });

    await added.getByRole('button', { name: 'Edit origins' }).click();
    await page.getByLabel('Allowed origins of wp_store').fill('https://shop.wp.example.org');
    await added.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => added.textContent(), { timeout: 10_000 }).toContain('allowed origins: https://shop.wp.example.org');

    await added.getByRole('button', { name: 'Remove' }).click();
    await added.getByRole('button', { name: 'Click again to remove' }).click();
    await expect.poll(() => page.getByTestId('moat-site').count(), { timeout: 10_000 }).toBe(1);
    await page.close();
  });
});

