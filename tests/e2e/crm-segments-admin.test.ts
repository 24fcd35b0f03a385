/**
 * The Segments page in real Chromium: a user with segments.read + segments.manage builds a rule
 * and sees the live count change, saves the segment, and finds it in the list; a user with
 * segments.read only sees the count but no save button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { createAdminInRole, createRoleWithActions, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { CUSTOMER } from '../helpers/crm-engage';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

describe('Segments admin page', () => {
  let app: BootedStrapi;
  let browser: Browser;
  beforeAll(async () => {
    app = await bootStrapi({ admin: true });
    for (let i = 0; i < 6; i++)
      await app.strapi.documents(CUSTOMER).create({ data: { email: `ui-${i}@segments-ui.example`, tier: i < 2 ? 'big_b' : 'consumer', country: i % 2 ? 'DE' : 'FR' } as any });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  it('builds a rule with a live count and saves it; read-only users cannot save', async () => {
    const manager = await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'Segment manager', ['plugin::crm.segments.read', 'plugin::crm.segments.manage']), 'manager');
    const page = await browser.newPage();
    await loginAdmin(page, app.url, manager);
    await page.goto(`${app.url}/admin/plugins/crm/segments`);
    const count = page.getByTestId('crm-segment-count');
    // the default rule: tier is big_b
    await expect.poll(async () => count.textContent(), { timeout: 20_000 }).toMatch(/^2 customers match/);
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await page.getByRole('combobox', { name: 'Field of rules[1]' }).click();
    await page.getByRole('option', { name: 'Country' }).click();
    await page.getByRole('textbox', { name: 'Comma-separated values of rules[1]' }).fill('DE');
    await expect.poll(async () => count.textContent(), { timeout: 20_000 }).toMatch(/^1 customer matches/);
    await page.getByRole('textbox', { name: 'Name' }).fill('German big buyers');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await expect.poll(async () => page.getByTestId('crm-segment-row').allTextContents(), { timeout: 20_000 }).toContain('German big buyers');
    await page.screenshot({ path: artifactPath('crm-segments-builder.png'), fullPage: true });
    const [saved] = (await app.strapi.plugin('crm').service('segments').list()) as Array<{ rules: unknown }>;
    expect(saved.rules).toEqual({ op: 'and', rules: [{ field: 'tier', in: ['big_b'] }, { field: 'country', in: ['DE'] }] });

    const reader = await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'Segment reader', ['plugin::crm.segments.read']), 'reader');
    const other = await browser.newPage();
    await loginAdmin(other, app.url, reader);
    await other.goto(`${app.url}/admin/plugins/crm/segments`);
    await expect.poll(async () => other.getByTestId('crm-segment-count').textContent(), { timeout: 20_000 }).toMatch(/customers? match/);
    expect(await other.getByRole('button', { name: 'Save segment' }).count()).toBe(0);
    await other.screenshot({ path: artifactPath('crm-segments-read-only.png'), fullPage: true });
  });
});
