/** A store owner tells Moat which forms on their WordPress site are inquiries (real Chromium). */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

describe('form rules on the Tracking page', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let admin: AdminCredentials;
  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_SITES: 'wp_site=https://wp.example.com' } });
    admin = await createSuperAdmin(app.strapi);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  it('adds rules, refuses a bad selector with the reason, and the storefront reads what was saved', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/plugins/tracking`);
    await page.getByRole('button', { name: 'Form rules' }).first().click({ timeout: 30_000 });
    const panel = page.getByTestId('moat-form-rules');
    await panel.getByRole('button', { name: 'Add a rule' }).click();
    await panel.getByLabel('Selector of rule 1').fill('#gform_7</style>');
    await panel.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => page.getByTestId('moat-form-rules-error').textContent()).toMatch(/may not contain/);

    await panel.getByLabel('Selector of rule 1').fill('#gform_7');
    await panel.getByLabel('Kind of rule 1').click();
    await page.getByRole('option', { name: 'Do not record' }).click();
    await panel.getByRole('button', { name: 'Add a rule' }).click();
    await panel.getByLabel('Selector of rule 2').fill('.wpcf7 form[action*="quote"]');
    await panel.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => panel.getByText('Saved').count()).toBe(1);
    await page.screenshot({ path: artifactPath('form-rules-admin.png'), fullPage: true });

    const pub = await app.request.get('/api/tracking/v1/sites/wp_site/form-rules').expect(200);
    expect(pub.body.rules).toEqual([
      { match: '#gform_7', kind: 'ignore' },
      { match: '.wpcf7 form[action*="quote"]', kind: 'inquiry' },
    ]);
    // opened again, the editor shows what is stored
    await page.reload();
    await page.getByRole('button', { name: 'Form rules' }).first().click({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('moat-form-rule').count()).toBe(2);
    await page.close();
  });
});
