import { createHmac } from 'node:crypto';
import '@shopify/shopify-api/adapters/node';
import { ApiVersion, shopifyApi } from '@shopify/shopify-api';
import { describe, expect, it } from 'vitest';
import { backoffMs, isTransient, nextPageInfo, parseCallLimit, retryAfterMs, throttleDelayMs } from '../backfill/http-policy';
import { verifySessionToken } from '../utils/session-token';

describe('Admin API paging and rate limits', () => {
  it('reads the next page_info from a Link header (previous and next, any order, or none)', () => {
    const base = 'https://shop.myshopify.com/admin/api/2025-10/orders.json';
    expect(nextPageInfo(`<${base}?limit=250&page_info=abc>; rel="next"`)).toBe('abc');
    expect(nextPageInfo(`<${base}?page_info=prev1&limit=250>; rel="previous", <${base}?limit=250&page_info=nxt2>; rel="next"`)).toBe('nxt2');
    expect(nextPageInfo(`<${base}?limit=250&page_info=prev1>; rel="previous"`)).toBeNull();
    expect(nextPageInfo(null)).toBeNull();
    expect(nextPageInfo('')).toBeNull();
  });

  it('slows down only near the bucket limit, by the time the bucket needs to drain to 80 %', () => {
    expect(parseCallLimit('32/40')).toEqual({ used: 32, limit: 40 });
    expect(parseCallLimit('garbage')).toBeNull();
    expect(throttleDelayMs(parseCallLimit('1/40'))).toBe(0);
    expect(throttleDelayMs(parseCallLimit('31/40'))).toBe(0);
    expect(throttleDelayMs(parseCallLimit('32/40'))).toBe(500);
    expect(throttleDelayMs(parseCallLimit('40/40'))).toBe(4500);
    // Shopify Plus buckets are 80 deep
    expect(throttleDelayMs(parseCallLimit('40/80'))).toBe(0);
    expect(throttleDelayMs(null)).toBe(0);
  });

  it('honours Retry-After (seconds or a date) and backs off exponentially without one', () => {
    expect(retryAfterMs('2.0')).toBe(2000);
    expect(retryAfterMs('0.25')).toBe(250);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
    // never shorter than Retry-After
    for (let attempt = 1; attempt < 8; attempt++) expect(backoffMs(attempt, 2000, 500, 30_000, () => 0)).toBeGreaterThanOrEqual(2000);
    expect(backoffMs(1, null, 500, 30_000, () => 1)).toBe(500);
    expect(backoffMs(3, null, 500, 30_000, () => 1)).toBe(2000);
    expect(backoffMs(20, null, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(3, null, 500, 30_000, () => 0)).toBe(1000);
    expect([429, 500, 502, 503].every(isTransient)).toBe(true);
    expect([400, 401, 403, 404, 422].some(isTransient)).toBe(false);
  });
});

describe('App Bridge session token', () => {
  const KEY = 'moat-client-id';
  const SECRET = 'shpss_unit_test_secret_0123456789';
  const shop = 'ningbo-fasteners.myshopify.com';
  const now = 1_800_000_000;
  const sign = (claims: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${b64(header)}.${b64({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: KEY, sub: '1', exp: now + 60, nbf: now - 1, iat: now, ...claims })}`;
    return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
  };

  it('accepts what @shopify/shopify-api accepts and names the shop', async () => {
    const token = sign({ exp: Math.floor(Date.now() / 1000) + 60, nbf: Math.floor(Date.now() / 1000) - 1 });
    const shopify = shopifyApi({ apiKey: KEY, apiSecretKey: SECRET, hostName: 'moat.example.com', apiVersion: ApiVersion.October25, isEmbeddedApp: true });
    expect((await shopify.session.decodeSessionToken(token)).dest).toBe(`https://${shop}`);
    expect(verifySessionToken(token, KEY, SECRET)).toMatchObject({ ok: true, shop });
  });

  it('refuses expired, early, foreign, unsigned and malformed tokens with a reason', () => {
    const at = now * 1000;
    expect(verifySessionToken(sign({}), KEY, SECRET, at)).toMatchObject({ ok: true, shop });
    const reasons = {
      expired: verifySessionToken(sign({ exp: now - 30 }), KEY, SECRET, at),
      early: verifySessionToken(sign({ nbf: now + 30 }), KEY, SECRET, at),
      audience: verifySessionToken(sign({ aud: 'another-app' }), KEY, SECRET, at),
      secret: verifySessionToken(sign({}, 'shpss_other'), KEY, SECRET, at),
      none: verifySessionToken(sign({}, SECRET, { alg: 'none' }), KEY, SECRET, at),
      dest: verifySessionToken(sign({ dest: 'https://example.com', iss: 'https://example.com/admin' }), KEY, SECRET, at),
      iss: verifySessionToken(sign({ iss: 'https://other.myshopify.com/admin' }), KEY, SECRET, at),
      shape: verifySessionToken('a.b', KEY, SECRET, at),
    };
    expect(Object.fromEntries(Object.entries(reasons).map(([k, v]) => [k, v.ok ? 'accepted' : v.reason]))).toEqual({
      expired: 'the session token has expired',
      early: 'the session token is not valid yet (nbf)',
      audience: "the session token's audience is not this app",
      secret: "the session token's signature does not match the app secret",
      none: 'the session token is not signed with HS256',
      dest: "the session token's dest is not a <name>.myshopify.com shop",
      iss: "the session token's iss and dest name different shops",
      shape: 'the session token is not a JWT',
    });
    // a few seconds of clock skew are tolerated
    expect(verifySessionToken(sign({ exp: now - 3 }), KEY, SECRET, at).ok).toBe(true);
  });
});
