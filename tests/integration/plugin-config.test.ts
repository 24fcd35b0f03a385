/**
 * Plugin configuration (Strapi's `config: { default, validator }`): with nothing set the
 * plugins run on their defaults, which read the MOAT_* environment; a wrong value stops the
 * boot with a message naming the key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { bootStrapi } from '../helpers/strapi';

describe('plugin configuration', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('takes its defaults from the environment', async () => {
    const app = await bootStrapi({ database: db, env: { MOAT_COLLECT_IP_LIMIT: '321', MOAT_CONTENT_RATE_LIMIT: '77', MOAT_EMAIL_TRANSPORT: 'outbox', MOAT_INSIGHTS_ENGAGED_S: '25', MOAT_SHOP_TIMEZONE: 'Asia/Shanghai', SHOPIFY_API_KEY: 'key-from-env' } });
    try {
      expect(app.strapi.plugin('tracking').config('rateLimit')).toMatchObject({ ipPoints: 321, sitePoints: 60_000, duration: 60, store: 'memory' });
      expect(app.strapi.plugin('product-content').config('rateLimit')).toEqual({ points: 77, duration: 60 });
      expect(app.strapi.plugin('lifecycle-email').config('transport')).toBe('outbox');
      expect(app.strapi.plugin('insights').config('engagedSeconds')).toBe(25);
      expect(app.strapi.plugin('insights').config('timezone')).toBe('Asia/Shanghai');
      expect(app.strapi.plugin('shopify').config('apiKey')).toBe('key-from-env');
    } finally {
      await app.strapi.destroy();
    }
  });

  it.each([
    [{ MOAT_COLLECT_IP_LIMIT: '-5' }, /tracking: config key "rateLimit\.ipPoints"/],
    [{ MOAT_RATE_LIMIT_STORE: 'disk' }, /tracking: config key "rateLimit\.store"/],
    [{ MOAT_CONTENT_RATE_WINDOW_S: 'soon' }, /product-content: config key "rateLimit\.duration"/],
    [{ MOAT_EMAIL_TRANSPORT: 'pigeon' }, /lifecycle-email: config key "transport"/],
    [{ MOAT_SHOP_TIMEZONE: 'Mars/Olympus' }, /insights\.timezone/],
    [{ MOAT_SHOPIFY_SITES: 'not-a-shop=main' }, /MOAT_SHOPIFY_SITES/],
    [{ MOAT_SHOPIFY_ABANDON_HOURS: '0' }, /MOAT_SHOPIFY_ABANDON_HOURS/],
    [{ SMTP_PORT: '70000' }, /lifecycle-email: config key "smtp\.port"/],
  ])('a wrong value stops the boot naming the key: %o', async (bad, message) => {
    // every other variable at a good value (bootStrapi leaves the environment as it set it)
    const good = { MOAT_COLLECT_IP_LIMIT: '600', MOAT_RATE_LIMIT_STORE: 'memory', MOAT_CONTENT_RATE_WINDOW_S: '60', MOAT_EMAIL_TRANSPORT: 'outbox', SMTP_PORT: '587', MOAT_SHOP_TIMEZONE: 'UTC', MOAT_SHOPIFY_SITES: '', MOAT_SHOPIFY_ABANDON_HOURS: '4' };
    await expect(bootStrapi({ database: db, env: { ...good, ...bad } })).rejects.toThrow(message);
  });
});
