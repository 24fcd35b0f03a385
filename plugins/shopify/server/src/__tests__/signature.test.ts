import { createHmac } from 'node:crypto';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { describe, expect, it } from 'vitest';
import { proxySignature, verifyProxyQuery, verifyWebhookHmac, webhookHmac } from '../utils/signature';
import { TokenCipher } from '../utils/token-cipher';

const SECRET = 'hush-this-is-a-test-secret';

describe('app proxy signature', () => {
  it("agrees with @shopify/shopify-api's own app proxy check (sorted k=v pairs, repeated keys joined with a comma)", async () => {
    const shopify = shopifyApi({ apiKey: 'key', apiSecretKey: 'hush', hostName: 'moat.example.com', apiVersion: ApiVersion.October25, isEmbeddedApp: true });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const query = new URLSearchParams(`extra=1&extra=2&shop=shop-name.myshopify.com&logged_in_customer_id=1&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=${timestamp}`);
    query.set('signature', proxySignature(query, 'hush'));
    const asObject = { extra: ['1', '2'], shop: 'shop-name.myshopify.com', logged_in_customer_id: '1', path_prefix: '/apps/awesome_reviews', timestamp, signature: query.get('signature') as string };
    expect(await shopify.utils.validateHmac(asObject, { signator: 'appProxy' })).toBe(true);
    expect(await shopify.utils.validateHmac({ ...asObject, extra: ['2', '1'] }, { signator: 'appProxy' })).toBe(false);
    expect(verifyProxyQuery(query, 'hush', 90)).toEqual({ ok: true, shop: 'shop-name.myshopify.com', customerId: '1' });
  });

  it('refuses tampered, stale, future and unsigned queries', () => {
    const now = Date.now();
    const sign = (q: URLSearchParams) => {
      q.set('signature', proxySignature(q, SECRET));
      return q;
    };
    const fresh = () => new URLSearchParams({ shop: 'a.myshopify.com', path_prefix: '/apps/moat', timestamp: String(Math.floor(now / 1000)) });
    expect(verifyProxyQuery(sign(fresh()), SECRET, 90, now).ok).toBe(true);
    const tampered = sign(fresh());
    tampered.set('logged_in_customer_id', '42');
    expect(verifyProxyQuery(tampered, SECRET, 90, now)).toEqual({ ok: false, reason: 'the app proxy signature does not match' });
    const old = new URLSearchParams({ shop: 'a.myshopify.com', timestamp: String(Math.floor(now / 1000) - 91) });
    expect(verifyProxyQuery(sign(old), SECRET, 90, now)).toMatchObject({ ok: false, reason: expect.stringContaining('older than 90') });
    const future = new URLSearchParams({ shop: 'a.myshopify.com', timestamp: String(Math.floor(now / 1000) + 120) });
    expect(verifyProxyQuery(sign(future), SECRET, 90, now).ok).toBe(false);
    expect(verifyProxyQuery(fresh(), SECRET, 90, now)).toEqual({ ok: false, reason: 'the app proxy signature is missing' });
    expect(verifyProxyQuery(sign(fresh()), 'another-secret-entirely', 90, now).ok).toBe(false);
  });
});

describe('webhook HMAC', () => {
  it('is the base64 HMAC-SHA256 of the raw bytes; any change or a missing header fails', () => {
    const body = Buffer.from('{"id":1,"title":"Caf\\u00e9"}');
    const header = createHmac('sha256', SECRET).update(body).digest('base64');
    expect(webhookHmac(body, SECRET)).toBe(header);
    expect(verifyWebhookHmac(body, SECRET, header)).toBe(true);
    expect(verifyWebhookHmac(Buffer.from('{"id":1,"title":"Café"}'), SECRET, header)).toBe(false);
    expect(verifyWebhookHmac(body, SECRET, undefined)).toBe(false);
    expect(verifyWebhookHmac(body, SECRET, 'short')).toBe(false);
    expect(verifyWebhookHmac(body, '', header)).toBe(false);
  });
});

describe('TokenCipher', () => {
  it('round-trips, hides the token, and refuses another key or another session', () => {
    const cipher = new TokenCipher('key-material-of-sufficient-length');
    const sealed = cipher.encrypt('shpat_0123456789abcdef', 'offline_a.myshopify.com');
    expect(sealed).not.toContain('shpat');
    expect(cipher.encrypt('shpat_0123456789abcdef', 'offline_a.myshopify.com')).not.toBe(sealed);
    expect(cipher.decrypt(sealed, 'offline_a.myshopify.com')).toBe('shpat_0123456789abcdef');
    expect(() => cipher.decrypt(sealed, 'offline_b.myshopify.com')).toThrow();
    expect(() => new TokenCipher('another-key-material-entirely').decrypt(sealed, 'offline_a.myshopify.com')).toThrow();
    expect(() => new TokenCipher('short')).toThrow(/at least 16/);
  });
});
