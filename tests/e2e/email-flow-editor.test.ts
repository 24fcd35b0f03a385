/**
 * The flow editor in Chromium, end to end: a Super Admin builds a flow (a storefront form
 * submission → send a template), sees the server name a missing template at its step, saves and
 * switches it on; a visitor sends the demo storefront's quote form; the mail lands in the local
 * outbox addressed to that customer and shows on their CRM timeline. An admin who may only read
 * flows sees the flow without any create, edit or enable control.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createAdminInRole, createRoleWithActions, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { createTestTemplate } from '../helpers/email-delivery';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { CHROME_UA } from '../helpers/tracking';

const EDITOR = (url: string) => `${url}/admin/plugins/lifecycle-email`;

/** Picks `option` in the design-system select labelled `label` (inside `scope`). */
async function pick(page: Page, label: string, option: string, scope = page.locator('body')) {
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('flow editor (real Chromium)', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let admin: AdminCredentials;
  const outbox = mkdtempSync(join(tmpdir(), 'moat-outbox-'));

  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_DEMO: 'true', MOAT_EMAIL_OUTBOX_DIR: outbox, MOAT_FLOW_TICK_MS: '200' } });
    admin = await createSuperAdmin(app.strapi);
    browser = await launchChromium({ userAgent: CHROME_UA });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('builds and enables a flow that mails a storefront visitor, seen in the outbox and on their timeline', async () => {
    const tag = randomUUID().slice(0, 8);
    const email = `flow-${tag}@buyer.example`;
    const template = await createTestTemplate(
      app.strapi,
      `Thanks {{customer.firstName}} ${tag}`,
      `<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{customer.name}}, we got your request ${tag}.</mj-text></mj-column></mj-section></mj-body></mjml>`,
    );
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await loginAdmin(page, app.url, admin);
    await page.goto(EDITOR(app.url));
    await page.getByTestId('moat-flow-new').click();
    await page.getByTestId('moat-flow-editor').waitFor({ timeout: 30_000 });

    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`Quote thanks ${tag}`);
    await page.getByRole('combobox', { name: 'Touchpoint types' }).click();
    await page.getByRole('option', { name: 'form_submit', exact: true }).click();
    await page.keyboard.press('Escape');

    // add a wait, move it first, remove it again: the send stays the only step
    const steps = page.getByTestId('moat-flow-editor-step');
    await pick(page, 'New step', 'Wait');
    await page.getByTestId('moat-flow-editor-add-step').click();
    await expect.poll(() => steps.evaluateAll((n) => n.map((e) => e.getAttribute('data-type')))).toEqual(['send', 'wait']);
    await steps.nth(1).getByRole('button', { name: 'Up' }).click();
    await expect.poll(() => steps.evaluateAll((n) => n.map((e) => e.getAttribute('data-type')))).toEqual(['wait', 'send']);
    await steps.nth(0).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => steps.count()).toBe(1);

    // saved without a template: the server's problem shows at that step
    await page.getByTestId('moat-flow-editor-save').click();
    const problem = steps.nth(0).getByTestId('moat-flow-editor-step-problems');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.textContent()).toContain('steps[0].template');
    await page.screenshot({ path: artifactPath('flow-editor-problem.png'), fullPage: true });

    await pick(page, 'Template', template, steps.nth(0));
    await pick(page, 'Mail kind', 'Transactional', steps.nth(0));
    await page.getByTestId('moat-flow-editor-save').click();
    await page.waitForURL(/\/lifecycle-email\/flows\/\d+$/, { timeout: 15_000 });
    const flowId = Number(page.url().split('/').pop());
    const toggle = page.getByRole('switch', { name: 'Flow on' });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('true');
    const stored = await app.strapi.db.connection('moat_flows').where({ id: flowId }).first();
    expect(Boolean(stored.enabled)).toBe(true);
    expect(JSON.parse(stored.definition)).toMatchObject({ trigger: { on: 'event', events: ['form_submit'] }, steps: [{ type: 'send', template, kind: 'transactional' }] });
    await page.screenshot({ path: artifactPath('flow-editor-saved.png'), fullPage: true });

    // a visitor asks for a quote on the demo storefront
    const shop = await context.newPage();
    await shop.goto(`${app.url}/moat/demo`);
    await shop.waitForFunction(() => (window as any).moatLoaded?.includes('shopify'));
    await shop.fill('#rfq [name=name]', 'Mei Buyer');
    await shop.fill('#rfq [name=email]', email);
    await shop.fill('#rfq [name=company]', 'Mei Trading');
    await shop.fill('#rfq [name=message]', `200 bamboo trays ${tag}`);
    await Promise.all([shop.waitForURL(/\/moat\/demo\/rfq$/), shop.click('#rfq button')]);
    await shop.screenshot({ path: artifactPath('flow-editor-storefront.png'), fullPage: true });

    // the outbox holds the mail to that customer
    const row = page.getByTestId('moat-outbox-row').filter({ hasText: email });
    await expect
      .poll(
        async () => {
          await page.goto(EDITOR(app.url));
          await page.getByTestId('moat-flow-row').first().waitFor({ timeout: 30_000 });
          return row.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(1);
    expect(await row.textContent()).toContain(`Thanks Mei ${tag}`);
    await row.click();
    await expect.poll(() => page.frameLocator('[data-testid="moat-outbox-frame"]').locator('body').textContent(), { timeout: 15_000 }).toContain(`Hi Mei Buyer, we got your request ${tag}.`);
    await page.screenshot({ path: artifactPath('flow-editor-outbox.png'), fullPage: true });

    // the editor counts the enrollment and the send at step 1
    await page.goto(`${EDITOR(app.url)}/flows/${flowId}`);
    await page.getByTestId('moat-flow-enrollment').first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('moat-flow-editor-step-stats').first().textContent()).toMatch(/sent 1\b/);

    // and the customer's timeline shows the email
    const customer = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email } });
    expect(customer).toBeTruthy();
    await page.goto(`${app.url}/admin/plugins/crm/customers/${customer?.documentId}`);
    await page.locator('[data-testid="crm-timeline-item"][data-type="email_sent"]').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('flow-editor-timeline.png'), fullPage: true });
    await context.close();
  });

  it('a wait-until step ends on the weekdays picked (Monday to Friday), saved and shown again', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(EDITOR(app.url));
    await page.getByTestId('moat-flow-new').click();
    await page.getByTestId('moat-flow-editor').waitFor({ timeout: 30_000 });
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`Weekday follow-up ${Date.now()}`);
    await page.getByRole('combobox', { name: 'Touchpoint types' }).click();
    await page.getByRole('option', { name: 'inquiry_created', exact: true }).click();
    await page.keyboard.press('Escape');
    const steps = page.getByTestId('moat-flow-editor-step');
    await pick(page, 'New step', "Wait until a time of day (recipient's time zone)");
    await page.getByTestId('moat-flow-editor-add-step').click();
    const waitStep = steps.nth(1);
    await waitStep.getByRole('button', { name: 'Up' }).click();
    await expect.poll(() => steps.evaluateAll((n) => n.map((e) => e.getAttribute('data-type')))).toEqual(['wait_until', 'send']);
    for (const d of [1, 2, 3, 4, 5]) await steps.nth(0).getByTestId(`moat-flow-editor-weekday-${d}`).click();
    // a day picked twice is off again
    await steps.nth(0).getByTestId('moat-flow-editor-weekday-6').click();
    await steps.nth(0).getByTestId('moat-flow-editor-weekday-6').click();
    await pick(page, 'Template', 'Welcome', steps.nth(1));
    await page.getByTestId('moat-flow-editor-save').click();
    await page.waitForURL(/\/lifecycle-email\/flows\/\d+$/, { timeout: 15_000 });
    const flowId = Number(page.url().split('/').pop());
    const stored = await app.strapi.db.connection('moat_flows').where({ id: flowId }).first();
    expect(JSON.parse(stored.definition).steps[0]).toEqual({ type: 'wait_until', time: '09:00', weekdays: [1, 2, 3, 4, 5] });
    await page.reload();
    await page.getByTestId('moat-flow-editor').waitFor({ timeout: 30_000 });
    const pressed = await steps.nth(0).locator('[data-testid^="moat-flow-editor-weekday-"]').evaluateAll((n) => n.filter((e) => e.getAttribute('aria-pressed') === 'true').map((e) => e.getAttribute('data-testid')?.slice(-1)));
    expect(pressed).toEqual(['1', '2', '3', '4', '5']);
    await page.screenshot({ path: artifactPath('flow-editor-weekdays.png'), fullPage: true });
    await page.close();
  });

  it('an admin who may only read flows sees them without create, edit or enable controls', async () => {
    const service = app.strapi.plugin('lifecycle-email').service('flows');
    const flow = await service.create({
      key: `readonly-${randomUUID().slice(0, 8)}`,
      name: 'Read-only check',
      definition: { trigger: { on: 'event', events: ['signup'] }, steps: [{ type: 'wait', days: 1 }, { type: 'exit' }] },
    });
    const roleId = await createRoleWithActions(app.strapi, 'flow viewer', ['plugin::lifecycle-email.flows.read']);
    const viewer = await createAdminInRole(app.strapi, roleId, 'flowviewer');
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await loginAdmin(page, app.url, viewer);
    await page.goto(EDITOR(app.url));
    await page.getByTestId('moat-flow-row').filter({ hasText: 'Read-only check' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('moat-flow-new').count()).toBe(0);
    await page.getByRole('link', { name: 'Read-only check' }).click();
    await page.getByTestId('moat-flow-editor').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('moat-flow-editor-step').count()).toBe(2);
    expect(await page.getByTestId('moat-flow-editor-save').count()).toBe(0);
    expect(await page.getByTestId('moat-flow-editor-add-step').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    expect(await page.getByRole('switch', { name: 'Flow on' }).isDisabled()).toBe(true);
    expect(await page.getByRole('textbox', { name: 'Name', exact: true }).isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('flow-editor-read-only.png'), fullPage: true });
    // no editor for a new flow either
    await page.goto(`${EDITOR(app.url)}/flows/new`);
    await page.getByRole('heading', { name: 'Flow editor' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('moat-flow-editor').count()).toBe(0);
    expect(flow.id).toBeGreaterThan(0);
    await context.close();
  });
});
