import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { newId } from '../helpers/tracking';

const DAY = 86_400_000;

/**
 * The dashboard's default range is the last 30 days; the 30 before are the baseline. Both have
 * 40 visitors, 20 interacting, 10 leads; the baseline 8 inquiries, this period 4 (the stage
 * the alert must name), deals at 50 % of inquiries in both. Orders in March and October of an
 * earlier year fill the heat map.
 */
function dataset(now: number) {
  const today = Math.floor(now / DAY) * DAY;
  const rows: Record<string, unknown>[] = [];
  for (const [period, startDaysAgo, inquiries] of [['base', 60, 8], ['cur', 30, 4]] as const) {
    for (let i = 0; i < 40; i++) {
      const at = today - (startDaysAgo - (i % 28)) * DAY + 10 * 3_600_000;
      const visitorId = newId(period);
      const customerId = i < 10 ? newId('c') : null;
      const common = { channel: 'web', site: 'shop', visitorId, country: i % 3 === 0 ? 'US' : 'DE', source: 'google', sourceChannel: 'paid', device: 'desktop' };
      rows.push({ ...common, type: 'page_view', occurredAt: at, dedupeKey: newId('k') });
      if (i < 20) rows.push({ ...common, type: 'engagement', occurredAt: at + 1000, properties: { engaged_ms: 30_000 }, dedupeKey: newId('k') });
      if (customerId) rows.push({ ...common, customerId, type: 'identify', occurredAt: at + 2000, dedupeKey: newId('k') });
      if (customerId && i < inquiries) rows.push({ ...common, customerId, type: 'inquiry_created', occurredAt: at + 3000, properties: { inquiry_id: newId('q'), product: { key: 'tray-300', title: 'Tray 300' }, message: 'Can you print our logo?' }, dedupeKey: newId('k') });
      if (customerId && i < inquiries / 2) rows.push({ ...common, customerId, type: 'order_placed', occurredAt: at + 4000, properties: { order_id: newId('o'), value: 1500, currency: 'USD' }, dedupeKey: newId('k') });
    }
  }
  const history = [['DE', '2025-03-10', 800], ['FR', '2025-03-11', 300], ['US', '2025-10-12', 2500], ['DE', '2025-10-13', 400], ['JP', '2025-06-01', 900]] as const;
  for (const [country, date, value] of history) rows.push({ type: 'order_placed', channel: 'erp', customerId: newId('c'), country, occurredAt: Date.parse(`${date}T09:00:00Z`), properties: { order_id: newId('o'), value, currency: 'USD' }, dedupeKey: newId('k') });
  return rows;
}

describe('manager reads the Insights dashboard', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let admin: AdminCredentials;
  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_INSIGHTS_REFRESH_MS: '0' } });
    admin = await createSuperAdmin(app.strapi);
    await app.strapi.plugin('tracking').service('touchpoints').recordMany(dataset(Date.now()));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  it('renders the funnel with the weakest stage highlighted and the seasonality heat map', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/plugins/insights`);
    const weakest = page.getByTestId('insights-weakest');
    await expect.poll(() => weakest.getAttribute('data-stage'), { timeout: 60_000 }).toBe('inquiries');
    expect(await weakest.textContent()).toMatch(/^Inquiries: 4 \(40%\)$/);
    // the chart library drew the bars, the weakest one in red
    expect(await page.locator('[data-testid="insights-funnel"] .recharts-bar-rectangle').count()).toBe(5);
    expect(await page.locator('[data-testid="insights-funnel"] path[fill="#d02b20"]').count()).toBe(1);
    expect(await page.getByTestId('insights-alert').textContent()).toMatch(/Weakest stage: Inquiries — 40% against 80%.*about 2 deals and 3,000 revenue lost/);
    // heat map: one cell per month × country with orders (history and the two periods)
    await expect.poll(() => page.getByTestId('insights-heat-cell').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    expect(await page.locator('[data-testid="insights-heat-cell"][data-month="3"][data-country="FR"]').count()).toBe(1);
    expect(await page.getByTestId('insights-table-lead-country-of-month').textContent()).toContain('JP (1)');
    await page.screenshot({ path: artifactPath('insights-dashboard.png'), fullPage: true });

    // CSV export of a table: exactly what it shows
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('insights-csv-stages').click()]);
    const csv = await (await import('node:fs/promises')).readFile((await download.path()) as string, 'utf8');
    expect(csv.replace(/^\uFEFF/, '').split('\r\n')[0]).toBe('stage,rate,baseline_rate,lost_deals,cost');
    expect(csv).toContain('Inquiries,0.4000,0.8000,2.00,3000.00');

    // a reversed range: the API's reason is shown
    await page.getByLabel('From', { exact: true }).fill('2026-12-31');
    await page.getByLabel('To', { exact: true }).fill('2026-01-01');
    await expect.poll(() => page.getByTestId('insights-error').textContent(), { timeout: 10_000 }).toMatch(/reversed/);
    await page.close();
  }, 180_000);
});
