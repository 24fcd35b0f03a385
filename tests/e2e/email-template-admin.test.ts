import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { createTestTemplate, GALLERY_ROWS } from '../helpers/email-delivery';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const TEMPLATE = 'plugin::lifecycle-email.email-template';

describe('content team edits an email template with a live preview', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let admin: AdminCredentials;
  const outbox = mkdtempSync(join(tmpdir(), 'moat-outbox-'));

  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_EMAIL_OUTBOX_DIR: outbox } });
    admin = await createSuperAdmin(app.strapi);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('updates the preview as the MJML changes and refuses an invalid save with its line', async () => {
    const [welcome] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name: 'Welcome' }, locale: 'en' })) as any[];
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/content-manager/collection-types/${TEMPLATE}/${welcome.documentId}?plugins[i18n][locale]=en`);

    const frame = page.frameLocator('[data-testid="moat-preview-frame"]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 30_000 }).toContain('Thanks for joining Ningbo Bright Lighting');
    expect(await page.getByTestId('moat-preview-subject').textContent()).toBe('Subject: Welcome to Ningbo Bright Lighting');
    await page.screenshot({ path: artifactPath('email-preview-before.png') });

    const mjml = page.getByLabel(/^mjml/i);
    await expect.poll(() => mjml.inputValue(), { timeout: 30_000 }).toContain('Thanks for joining');
    const edited = (await mjml.inputValue()).replace('Thanks for joining', 'Big news from');
    await mjml.fill(edited);
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 30_000 }).toContain('Big news from Ningbo Bright Lighting');
    await page.screenshot({ path: artifactPath('email-preview-after.png') });

    // an invalid element on line 2: the preview names the line, and the save is refused
    await mjml.fill(edited.replace('<mj-body background-color="#f4f5f8">', '<mj-body background-color="#f4f5f8">\n<mj-bogus />'));
    await expect.poll(() => page.getByTestId('moat-preview-error').first().textContent(), { timeout: 30_000 }).toMatch(/Line 3/);
    await page.getByRole('button', { name: /^save$/i }).click();
    await expect.poll(() => page.getByText(/line 3/i).count(), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.screenshot({ path: artifactPath('email-save-refused.png') });
    const stored = (await app.strapi.documents(TEMPLATE).findOne({ documentId: welcome.documentId, locale: 'en' })) as any;
    expect(stored.mjml).not.toContain('mj-bogus');

    // a document the server refuses before compiling (a 400): the panel says why
    await mjml.fill(`${edited}\ntrailing text`);
    await expect.poll(() => page.getByTestId('moat-preview-error').first().textContent(), { timeout: 30_000 }).toMatch(/Malformed MJML: text after <\/mjml>: "trailing text"/);
    await page.close();
  });

  it("previews with a real customer picked in the panel, and warns about a Mailjet placeholder", async () => {
    const tag = randomUUID().slice(0, 8);
    await app.strapi.plugin('crm').service('customers').identify({ email: `ingrid-${tag}@buyer.example`, name: `Ingrid ${tag}` });
    const [welcome] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name: 'Welcome' }, locale: 'en' })) as any[];
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/content-manager/collection-types/${TEMPLATE}/${welcome.documentId}?plugins[i18n][locale]=en`);
    const frame = page.frameLocator('[data-testid="moat-preview-frame"]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 30_000 }).toContain('Hi Anna,');

    await page.getByLabel('Preview with a customer').fill(tag);
    await page.getByTestId('moat-preview-customer-option').first().click({ timeout: 30_000 });
    expect(await page.getByTestId('moat-preview-customer').textContent()).toContain(`Ingrid ${tag}`);
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 30_000 }).toContain('Hi Ingrid,');

    const mjml = page.getByLabel(/^mjml/i);
    await mjml.fill((await mjml.inputValue()).replace('Hi {{fallback', '[[PERMALINK]] Hi {{fallback'));
    await expect.poll(() => page.getByTestId('moat-preview-warning').first().textContent(), { timeout: 30_000 }).toMatch(/\[\[PERMALINK\]\] \(Mailjet style\) on MJML line \d+ is not replaced/);
    await page.screenshot({ path: artifactPath('email-preview-customer.png') });

    await page.getByRole('button', { name: 'Use sample data' }).click();
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 30_000 }).toContain('Hi Anna,');
    await page.close();
  });

  it('shows the template gallery by kind and language, and a test email in the outbox', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    const [loyalty] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name: 'Loyalty tier' }, locale: 'en' })) as any[];
    // send a test from the editor's side panel
    await page.goto(`${app.url}/admin/content-manager/collection-types/${TEMPLATE}/${loyalty.documentId}?plugins[i18n][locale]=en`);
    await page.getByLabel('Send test to').fill('qa@buyer.example');
    await page.getByRole('button', { name: /send test email/i }).click();
    await expect.poll(() => page.getByTestId('moat-send-test-status').textContent(), { timeout: 30_000 }).toBe('Sent to qa@buyer.example');

    await page.goto(`${app.url}/admin/plugins/lifecycle-email`);
    const rows = page.getByTestId('moat-gallery-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(GALLERY_ROWS);
    const kinds = (await rows.allTextContents()).join('\n');
    for (const kind of ['welcome', 'shipping', 'milestone', 'loyalty', 'follow-up']) expect(kinds).toContain(kind);
    expect(await rows.first().getByRole('link').allTextContents()).toEqual(expect.arrayContaining(['en', 'zh-Hans']));

    const message = page.getByTestId('moat-outbox-row');
    await expect.poll(() => message.count(), { timeout: 30_000 }).toBe(1);
    expect(await message.textContent()).toContain('[TEST] Your VIP Gold benefits inside');
    await message.click();
    await expect.poll(() => page.frameLocator('[data-testid="moat-outbox-frame"]').locator('body').textContent(), { timeout: 30_000 }).toContain('GOLD8');
    await page.screenshot({ path: artifactPath('email-gallery-outbox.png'), fullPage: true });
    await page.close();
  });

  it('finds a failed message in the message log with its reason, and a retry sends it', async () => {
    const to = `retry-${Date.now().toString(36)}@buyer.example`;
    const service = app.strapi.plugin('lifecycle-email').service('messages');
    const template = await createTestTemplate(app.strapi);
    // queued for tomorrow, then marked as the worker marks a send that gave up (the failure
    // itself is tests/integration/email-message-log.test.ts, against a real SMTP server)
    const { id } = await service.enqueue({ idempotencyKey: `e2e-retry-${to}`, lane: 'transactional', kind: 'transactional', to, templateKey: template, data: { name: 'Ada' }, sendAt: Date.now() + 86_400_000 });
    await app.strapi.db.connection('moat_messages').where({ id }).update({ status: 'failed', reason: 'gave up after 5 attempts: 452 4.2.2 Mailbox full', attempts: 5 });

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/plugins/lifecycle-email`);
    const log = page.getByTestId('moat-message-log');
    await log.getByRole('textbox').fill(to);
    const row = log.getByTestId('moat-message-row');
    await expect.poll(() => row.count(), { timeout: 30_000 }).toBe(1);
    expect(await row.textContent()).toContain('Mailbox full');
    expect(await row.textContent()).toContain('Failed');
    await page.screenshot({ path: artifactPath('email-message-log-failed.png'), fullPage: true });
    await row.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(async () => (await service.get(id))?.status, { timeout: 30_000 }).toBe('sent');
    // the log shows it sent once the list is read again; no retry button on a sent message
    await page.reload();
    await page.getByTestId('moat-message-log').getByRole('textbox').fill(to);
    await expect.poll(() => page.getByTestId('moat-message-row').first().textContent(), { timeout: 30_000 }).toContain('Sent');
    expect(await page.getByTestId('moat-message-row').getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await page.screenshot({ path: artifactPath('email-message-log-sent.png'), fullPage: true });
    await page.close();
  });

  it('lists the prebuilt flows, off, and turns one on with its switch', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/plugins/lifecycle-email`);
    const rows = page.getByTestId('moat-flow-row');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(12);
    const cart = rows.filter({ hasText: 'Abandoned cart (no order' });
    expect(await cart.getByTestId('moat-flow-step').allTextContents()).toEqual(['1. wait: 0 / 0 / 0', '2. send · Abandoned cart: 0 / 0 / 0']);
    const toggle = cart.getByRole('switch');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 30_000 }).toBe('true');
    const flow = await app.strapi.plugin('lifecycle-email').service('flows').repo.flowByKey('abandoned-cart');
    expect(flow.enabled).toBe(true);
    await page.screenshot({ path: artifactPath('email-flows.png'), fullPage: true });
    await page.close();
  });
});
