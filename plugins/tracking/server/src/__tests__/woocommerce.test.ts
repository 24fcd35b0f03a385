import { createHmac } from 'node:crypto';
import { env } from '@strapi/utils';
import { describe, expect, it } from 'vitest';
import config from '../config';
import { wooOrderSchema } from '../woocommerce/payloads';
import { parseWooSecrets, wooSecretsOf } from '../woocommerce/secrets';
import { verifyWooSignature } from '../woocommerce/signature';

const SECRET = 'k4Jd9sL2pQ8zX1vB7nM3';

describe('WooCommerce webhook secrets', () => {
  it('reads MOAT_WOOCOMMERCE_SECRETS, keeping "=" inside a secret', () => {
    expect(parseWooSecrets(` shop_a=${SECRET} ; shop_b=YWJjZGVmZ2hpamtsbW5vcA==;`)).toEqual([
      { site: 'shop_a', secret: SECRET },
      { site: 'shop_b', secret: 'YWJjZGVmZ2hpamtsbW5vcA==' },
    ]);
    expect([...wooSecretsOf(`shop_a=${SECRET}`)]).toEqual([['shop_a', SECRET]]);
  });

  it('stops the app at boot on a bad entry, naming the site but never the secret', () => {
    const defaults = config.default({ env });
    const boot = (secrets: string) => () => config.validator({ ...defaults, woocommerce: { secrets } });
    expect(boot(`shop_a=${SECRET}`)).not.toThrow();
    expect(boot('')).not.toThrow();
    expect(boot('shop_a=short')).toThrow(/secret of site "shop_a" must be at least 16/);
    expect(boot('shop_a')).toThrow(/shop_a/);
    expect(boot(`a b=${SECRET}`)).toThrow(/site "a b"/);
    expect(boot(`shop_a=${SECRET};shop_a=${SECRET}x`)).toThrow(/listed twice/);
    expect(boot('shop_a=short')).not.toThrow(/short/);
  });
});

describe('WooCommerce signature', () => {
  const body = Buffer.from('{"id":4750,"status":"processing","_links":{"self":[{"href":"https:\\/\\/shop.example.com\\/wp-json\\/wc\\/v3\\/orders\\/4750"}]}}');
  const signature = createHmac('sha256', SECRET).update(body).digest('base64');

  it('accepts base64(HMAC-SHA256(raw body, secret)) and nothing else', () => {
    expect(verifyWooSignature(body, SECRET, signature)).toBe(true);
    expect(verifyWooSignature(body, `${SECRET}x`, signature)).toBe(false);
    expect(verifyWooSignature(Buffer.concat([body, Buffer.from(' ')]), SECRET, signature)).toBe(false);
    expect(verifyWooSignature(body, SECRET, createHmac('sha256', SECRET).update(body).digest('hex'))).toBe(false);
    expect(verifyWooSignature(body, SECRET, `${signature}x`)).toBe(false);
    expect(verifyWooSignature(body, SECRET, undefined)).toBe(false);
    expect(verifyWooSignature(body, SECRET, '')).toBe(false);
  });
});

describe('WooCommerce order payload', () => {
  const order = { id: 1, status: 'processing', currency: 'EUR', total: '10.50', line_items: [{ name: 'Tray', quantity: 2, price: 5.25, sku: '' }] };

  it('reads money strings as numbers and GMT dates as UTC; an odd email is dropped, not fatal', () => {
    const parsed = wooOrderSchema.parse({ ...order, date_created_gmt: '2026-11-20T09:15:02', billing: { email: 'not an email', first_name: ' Ana ' } });
    expect(parsed.total).toBe(10.5);
    expect(parsed.date_created_gmt).toBe(Date.parse('2026-11-20T09:15:02Z'));
    expect(parsed.billing).toEqual({ email: undefined, first_name: 'Ana' });
    // an impossible date is no date (the delivery time is used), never NaN in a bigint column
    expect(wooOrderSchema.parse({ ...order, date_created_gmt: '2026-13-45T99:00:00' }).date_created_gmt).toBeUndefined();
  });

  it('takes what shop plugins send: other currency codes, long names and SKUs (cut, not refused)', () => {
    const parsed = wooOrderSchema.parse({ ...order, currency: 'usdt', line_items: [{ name: 'n'.repeat(2000), quantity: 1, price: '2.00', sku: 's'.repeat(300) }] });
    expect(parsed.currency).toBe('USDT');
    expect(parsed.line_items[0]).toMatchObject({ price: 2 });
    expect(parsed.line_items[0].name).toHaveLength(512);
    expect(parsed.line_items[0].sku).toHaveLength(128);
  });

  it('refuses a structurally wrong order, naming the field', () => {
    const result = wooOrderSchema.safeParse({ ...order, total: 'ten', currency: '€', line_items: {} });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['currency', 'line_items', 'total']);
  });
});
