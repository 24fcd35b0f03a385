/**
 * The campaigns page in Chromium: a marketer opens a draft campaign, sends it, and watches the
 * progress bar move as the workers deliver to a real SMTP sink (rate-limited so it takes seconds).
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { CUSTOMER } from '../helpers/crm-engage';
import { createTestTemplate, deliveryEnv, flushPrefix } from '../helpers/email-delivery';
import { uniqueQueuePrefix } from '../helpers/redis';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const RECIPIENTS = 60;

describe('campaigns admin page', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let sink: SmtpSink;
  let admin: AdminCredentials;
  const prefix = uniqueQueuePrefix();

  beforeAll(async () => {
    sink = await startSmtpSink();
    // 20 messages a second: the 60-recipient campaign takes about three seconds to deliver
    app = await bootStrapi({ admin: true, env: deliveryEnv(sink.port, prefix, { MOAT_EMAIL_RATE_PER_S: '20', MOAT_EMAIL_BATCH: '5' }) });
    admin = await createSuperAdmin(app.strapi);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
    await sink?.close();
    await flushPrefix(prefix);
  });

  it('sending a campaign moves its progress bar to the end', async () => {
    const tag = `e2e-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < RECIPIENTS; i++) await app.strapi.documents(CUSTOMER as never).create({ data: { email: `c${i}-${tag}@example.com`, name: `C${i}`, tags: [tag], emailConsent: 'subscribed' } } as never);
    const segment = await app.strapi.plugin('crm').service('segments').create({ name: tag, rules: { op: 'and', rules: [{ field: 'tags', values: [tag] }] } });
    const template = await createTestTemplate(app.strapi);
    await app.strapi.plugin('lifecycle-email').service('campaigns').create({ name: `Spring ${tag}`, segmentId: segment.documentId, templateKey: template });

    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
    await page.goto(`${app.url}/admin/plugins/lifecycle-email-campaigns`);
    await page.getByText(`Spring ${tag}`).click();
    const bar = page.getByTestId('campaign-progress');
    await expect.poll(() => bar.getAttribute('data-value'), { timeout: 30_000 }).toBe('0');
    await page.getByRole('button', { name: /^send$/i }).click();
    const seen = new Set<number>();
    await expect
      .poll(
        async () => {
          const value = Number(await bar.getAttribute('data-value'));
          const firstPartial = value > 0 && value < 100 && ![...seen].some((v) => v > 0 && v < 100);
          seen.add(value);
          if (firstPartial) await page.screenshot({ path: artifactPath('campaign-progress-moving.png') });
          return value;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBe(100);
    await page.screenshot({ path: artifactPath('campaign-progress-done.png') });
    // it moved through values between empty and full, and every recipient got one message
    expect([...seen].some((v) => v > 0 && v < 100)).toBe(true);
    expect(new Set(sink.messages.filter((m) => m.envelope.to[0].endsWith(`-${tag}@example.com`)).map((m) => m.envelope.to[0])).size).toBe(RECIPIENTS);
    await expect.poll(() => page.getByTestId('campaign-status').textContent(), { timeout: 10_000 }).toBe('Done');
    await page.close();
  });
});
