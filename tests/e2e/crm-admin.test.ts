/**
 * The CRM admin in real Chromium: a Sales-role user opens a seeded customer whose journey spans
 * the web (page, product, cart, a form through collect), email, WhatsApp, chat, phone, Shopify
 * and an ERP (server-side API): the timeline shows them newest first with product names, a
 * `<script>` typed into the storefront form shows as text, the inquiry board highlights the
 * overdue follow-up, and a role without a customer permission has no menu link and gets 403.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, adminJwt, createAdminInRole, createRoleWithActions, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, createApiToken, newId } from '../helpers/tracking';

const SHOP = 'https://crm-shop.example.com';
const SITE = 'crm_shop';
const SCRIPT = '<script>window.__pwned = 1</script>';

describe('CRM admin in Chromium', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let sales: AdminCredentials;
  let outsider: AdminCredentials;
  let customerId: string;
  let inquiryId: string;
  const email = `${newId('buyer').toLowerCase()}@buyer.example`;

  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_SITES: `${SITE}=${SHOP}` } });
    const salesRole = await app.strapi.db.query('admin::role').findOne({ where: { code: 'moat-sales' } });
    sales = await createAdminInRole(app.strapi, salesRole.id, 'sales');
    const salesUser = await app.strapi.db.query('admin::user').findOne({ where: { email: sales.email } });
    outsider = await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'Tracking only', ['plugin::tracking.overview.read']), 'outsider');

    // the web, through the public collect endpoint as a storefront sends it
    const now = Date.now();
    const visitor = newId();
    const collect = await app.request
      .post('/moat/collect')
      .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
      .send(
        JSON.stringify(
          batch(SITE, visitor, [
            { type: 'page_view', url: `${SHOP}/products/industrial-widget`, title: 'Industrial Widget', ts: now - 60 * 60_000 },
            { type: 'product_view', url: `${SHOP}/products/industrial-widget`, props: { product_id: 'iw-1', title: 'Industrial Widget', price: 1299, currency: 'EUR' }, ts: now - 59 * 60_000 },
            { type: 'cart_add', url: `${SHOP}/products/industrial-widget`, props: { items: [{ product_id: 'iw-1', variant_id: 4242, title: 'Industrial Widget', quantity: 2 }] }, ts: now - 58 * 60_000 },
            {
              type: 'form_submit',
              url: `${SHOP}/pages/contact`,
              props: { form: 'contact', fields: { email, name: 'Ada Buyer', message: SCRIPT } },
              ts: now - 57 * 60_000,
            },
          ]),
        ),
      );
    expect(collect.status).toBe(202);
    const found = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email } as never });
    expect(found).toBeTruthy();
    customerId = found?.documentId as string;
    await app.strapi.db.query('plugin::crm.customer').update({ where: { id: found?.id }, data: { owner: salesUser.id, tier: 'big_b', timeZone: 'Europe/Berlin', country: 'DE' } });

    // email, WhatsApp, chat, a Shopify order and an ERP order through the server-side API
    const token = await createApiToken(app.strapi);
    const track = (body: Record<string, unknown>) =>
      app.request.post('/api/tracking/v1/track').set('Authorization', `Bearer ${token}`).send({ messageId: newId('m'), email, ...body }).expect(200);
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    await track({ channel: 'email', type: 'email_opened', timestamp: at(50), properties: { subject: 'Your widget quote' } });
    await track({ channel: 'whatsapp', type: 'message_received', timestamp: at(40), properties: { text: 'Can you do 500 widgets?' } });
    await track({ channel: 'live_chat', type: 'message_received', timestamp: at(30), properties: { text: 'Asking about lead time' } });
    await track({ channel: 'shopify', type: 'order_placed', timestamp: at(20), properties: { order_id: '#1001', total: 2598, currency: 'EUR', items: [{ title: 'Industrial Widget', quantity: 2 }] } });
    await track({ channel: 'erp', type: 'order_placed', timestamp: at(10), properties: { order_id: 'ERP-77', total: 64950, currency: 'EUR', items: [{ title: 'Industrial Widget', quantity: 50 }] } });

    // an inquiry whose first cadence task is a day overdue
    const inquiry = await app.strapi.documents('plugin::crm.inquiry').create({ data: { customer: customerId, productTitle: 'Industrial Widget', quantity: 500, status: 'contacted' } as never });
    inquiryId = inquiry.documentId;
    await app.strapi.documents('plugin::crm.follow-up').create({
      data: { inquiry: inquiryId, customer: customerId, kind: 'task', status: 'open', cadenceStep: 1, dueAt: new Date(now - 24 * 3600_000).toISOString() } as never,
    });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  const openAs = async (who: AdminCredentials): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
    await loginAdmin(page, app.url, who);
    return page;
  };

  it('Sales: the customer page shows every channel in order, products by name, and the form script as text', async () => {
    const page = await openAs(sales);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.getByRole('link', { name: 'Customers' }).first().waitFor({ timeout: 30_000 });
    await page.goto(`${app.url}/admin/plugins/crm`);
    await page.getByTestId('crm-customer-row').filter({ hasText: email }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: artifactPath('crm-customer-list.png'), fullPage: true });
    await page.getByTestId('crm-customer-row').filter({ hasText: email }).click();
    await page.getByTestId('crm-timeline-item').first().waitFor({ timeout: 30_000 });

    // a phone follow-up logged on the page itself
    await page.getByLabel('Note').fill('Called: wants 500 pcs, sending a quote');
    await page.getByTestId('crm-log-follow-up').click();
    await page.locator('[data-testid="crm-timeline-item"][data-type="follow_up_logged"]').waitFor({ timeout: 30_000 });

    const items = await page.getByTestId('crm-timeline-item').evaluateAll((nodes) => nodes.map((n) => [n.getAttribute('data-type'), n.getAttribute('data-channel')]));
    expect(items).toEqual([
      ['follow_up_logged', 'phone'],
      ['order_placed', 'erp'],
      ['order_placed', 'shopify'],
      ['message_received', 'live_chat'],
      ['message_received', 'whatsapp'],
      ['email_opened', 'email'],
      ['form_submit', 'web'],
      ['cart_add', 'web'],
      ['product_view', 'web'],
      ['page_view', 'web'],
    ]);
    expect(new Set(items.map(([, channel]) => channel)).size).toBeGreaterThanOrEqual(6);
    const details = await page.getByTestId('crm-timeline-detail').allInnerTexts();
    expect(details.filter((d) => d.includes('Industrial Widget')).length).toBeGreaterThanOrEqual(5);
    expect(details).toContain('Industrial Widget × 2');
    // the script typed into the storefront form is text on the page, and never ran
    await page.getByText(SCRIPT, { exact: false }).first().waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toBe(0);
    expect(await page.getByTestId('crm-profile').textContent()).toContain('Europe/Berlin');
    await page.screenshot({ path: artifactPath('crm-customer-page.png'), fullPage: true });
    await page.close();
  });

  it('Sales: the inquiry board highlights the overdue follow-up', async () => {
    const page = await openAs(sales);
    await page.goto(`${app.url}/admin/plugins/crm/inquiries`);
    const card = page.getByTestId('crm-board-contacted').getByTestId('crm-inquiry-card').filter({ hasText: 'Industrial Widget' });
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute('data-overdue')).toBe('true');
    expect(await card.getByTestId('crm-overdue').textContent()).toMatch(/1 overdue/i);
    await page.screenshot({ path: artifactPath('crm-inquiry-board.png'), fullPage: true });
    await page.close();
  });

  it('a role without a customer permission: no Customers link, no page, and the API answers 403', async () => {
    const page = await openAs(outsider);
    await page.getByRole('link', { name: 'Tracking' }).first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('link', { name: 'Customers' }).count()).toBe(0);
    await page.goto(`${app.url}/admin/plugins/crm/customers/${customerId}`);
    await page.getByText("You don't have the permissions to access that content").waitFor({ timeout: 30_000 });
    expect(await page.getByText(email).count()).toBe(0);
    await page.screenshot({ path: artifactPath('crm-no-permission.png'), fullPage: true });
    const jwt = await adminJwt(app.request, outsider);
    for (const path of ['/crm/customers', `/crm/customers/${customerId}`, '/crm/inquiries']) {
      expect((await app.request.get(path).set('Authorization', `Bearer ${jwt}`)).status).toBe(403);
    }
    await page.close();
  });
});
