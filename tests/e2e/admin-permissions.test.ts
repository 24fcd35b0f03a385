/**
 * What an admin sees follows their role: an Editor (built-in defaults) has no Tracking menu
 * link or page and may send template tests only to their own address; a role that may read the
 * Tracking page but not manage sites sees the snippets without the site controls; the super
 * admin sees everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createAdminInRole, createAdminWithRole, createRoleWithActions, grantLocales, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { GALLERY_ROWS } from '../helpers/email-delivery';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const SHOP = 'https://shop.example.com';
const TEMPLATE = 'plugin::lifecycle-email.email-template';

describe('admin pages and controls follow the role', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let superAdmin: AdminCredentials;
  let editor: AdminCredentials;
  let viewer: AdminCredentials;
  const outbox = mkdtempSync(join(tmpdir(), 'moat-outbox-'));

  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_SITES: `main_shop=${SHOP}`, MOAT_EMAIL_OUTBOX_DIR: outbox } });
    // an admin-managed site: the one whose Edit / Remove controls a role may or may not see
    await app.strapi.plugin('tracking').service('sites').create({ key: 'wp_store', origins: ['https://wp.example.org'] });
    superAdmin = await createAdminWithRole(app.strapi, 'strapi-super-admin');
    editor = await createAdminWithRole(app.strapi, 'strapi-editor');
    await grantLocales(app.strapi, 'strapi-editor', TEMPLATE, ['en', 'zh-Hans']);
    const viewerRole = await createRoleWithActions(app.strapi, 'Tracking viewer', ['plugin::tracking.overview.read', 'plugin::tracking.sites.read']);
    viewer = await createAdminInRole(app.strapi, viewerRole, 'viewer');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    rmSync(outbox, { recursive: true, force: true });
  });

  const openAs = async (who: AdminCredentials): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, who);
    return page;
  };
  /** the main navigation's plugin links, once it has loaded (every role here has Content Manager) */
  const menuLinks = async (page: Page) => {
    await page.getByRole('link', { name: 'Content Manager' }).first().waitFor({ timeout: 30_000 });
    return {
      tracking: await page.getByRole('link', { name: 'Tracking' }).count(),
      email: await page.getByRole('link', { name: 'Lifecycle email' }).count(),
    };
  };

  it('super admin: Tracking link, and the site controls on the Tracking page', async () => {
    const page = await openAs(superAdmin);
    expect(await menuLinks(page)).toEqual({ tracking: 1, email: 1 });
    await page.goto(`${app.url}/admin/plugins/tracking`);
    const added = page.getByTestId('moat-site').filter({ hasText: 'wp_store' });
    await added.getByRole('button', { name: 'Edit origins' }).waitFor({ timeout: 30_000 });
    expect(await added.getByRole('button', { name: 'Remove' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Add site' }).count()).toBe(1);
    await page.screenshot({ path: artifactPath('permissions-super-admin-tracking.png'), fullPage: true });
    await page.close();
  });

  it('Editor: no Tracking link, and the Tracking page says they lack the permission', async () => {
    const page = await openAs(editor);
    expect(await menuLinks(page)).toEqual({ tracking: 0, email: 1 });
    await page.screenshot({ path: artifactPath('permissions-editor-menu.png') });
    await page.goto(`${app.url}/admin/plugins/tracking`);
    await page.getByText("You don't have the permissions to access that content").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('moat-site').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add site' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('permissions-editor-tracking.png'), fullPage: true });
    await page.close();
  });

  it('a role that reads Tracking but does not manage sites: snippets, no site controls', async () => {
    const page = await openAs(viewer);
    await page.goto(`${app.url}/admin/plugins/tracking`);
    await expect.poll(() => page.getByTestId('moat-snippet').count(), { timeout: 30_000 }).toBe(2);
    expect(await page.getByTestId('moat-site').filter({ hasText: 'wp_store' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Edit origins' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Add site' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('permissions-viewer-tracking.png'), fullPage: true });
    await page.close();
  });

  it('Editor: previews a template and sends its test to their own address only; sees the gallery, not the outbox', async () => {
    const [welcome] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name: 'Welcome' }, locale: 'en' })) as any[];
    const page = await openAs(editor);
    await page.goto(`${app.url}/admin/content-manager/collection-types/${TEMPLATE}/${welcome.documentId}?plugins[i18n][locale]=en`);
    const frame = page.frameLocator('[data-testid="moat-preview-frame"]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 30_000 }).toContain('Thanks for joining');
    const to = page.getByLabel('Send test to');
    await expect.poll(() => to.inputValue(), { timeout: 30_000 }).toBe(editor.email);
    expect(await to.isDisabled()).toBe(true);
    expect(await page.getByTestId('moat-send-test-own').textContent()).toBe('Tests go to your own address');
    await page.getByRole('button', { name: /send test email/i }).click();
    await expect.poll(() => page.getByTestId('moat-send-test-status').textContent(), { timeout: 30_000 }).toBe(`Sent to ${editor.email}`);
    await page.screenshot({ path: artifactPath('permissions-editor-send-test.png') });

    await page.goto(`${app.url}/admin/plugins/lifecycle-email`);
    await expect.poll(() => page.getByTestId('moat-gallery-row').count(), { timeout: 30_000 }).toBe(GALLERY_ROWS);
    expect(await page.getByRole('heading', { name: 'Outbox' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('permissions-editor-email-page.png'), fullPage: true });
    await page.close();
  });

  it('super admin: types any address for a test, and reads the outbox', async () => {
    const [welcome] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name: 'Welcome' }, locale: 'en' })) as any[];
    const page = await openAs(superAdmin);
    await page.goto(`${app.url}/admin/content-manager/collection-types/${TEMPLATE}/${welcome.documentId}?plugins[i18n][locale]=en`);
    const to = page.getByLabel('Send test to');
    await to.waitFor({ timeout: 30_000 });
    await expect.poll(() => to.isDisabled(), { timeout: 30_000 }).toBe(false);
    await to.fill('qa@buyer.example');
    await page.getByRole('button', { name: /send test email/i }).click();
    await expect.poll(() => page.getByTestId('moat-send-test-status').textContent(), { timeout: 30_000 }).toBe('Sent to qa@buyer.example');

    await page.goto(`${app.url}/admin/plugins/lifecycle-email`);
    await expect.poll(async () => (await page.getByTestId('moat-outbox-row').allTextContents()).join('\n'), { timeout: 30_000 }).toContain('qa@buyer.example');
    await page.screenshot({ path: artifactPath('permissions-super-admin-email-page.png'), fullPage: true });
    await page.close();
  });
});
