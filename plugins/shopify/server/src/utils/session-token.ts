import { createHmac, timingSafeEqual } from 'node:crypto';
import { SHOP_DOMAIN } from './constants';

export interface SessionTokenClaims {
  iss: string;
  dest: string;
  aud: string;
  sub?: string;
  exp: number;
  nbf: number;
  iat?: number;
  jti?: string;
  sid?: string;
}

export type SessionTokenCheck = { ok: true; shop: string; claims: SessionTokenClaims } | { ok: false; reason: string };

const json = (part: string): unknown => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
};

/**
 * App Bridge's session token (a JWT): HS256 with the app secret, aud = the app's api key,
 * dest = https://<shop>, iss = https://<shop>/admin, exp and nbf honoured with a few seconds
 * of clock skew. Checked here, without the library, so the app home works before the app's
 * OAuth settings (appUrl) are complete.
 */
export function verifySessionToken(token: string, apiKey: string, secret: string, now = Date.now(), skewSeconds = 5): SessionTokenCheck {
  if (!secret || !apiKey) return { ok: false, reason: 'the Shopify app is not configured (SHOPIFY_API_KEY, SHOPIFY_API_SECRET)' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'the session token is not a JWT' };
  const [head, body, signature] = parts;
  const header = json(head) as { alg?: string } | null;
  if (header?.alg !== 'HS256') return { ok: false, reason: 'the session token is not signed with HS256' };
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "the session token's signature does not match the app secret" };
  const claims = json(body) as SessionTokenClaims | null;
  if (!claims || typeof claims !== 'object') return { ok: false, reason: 'the session token has no readable claims' };
  const seconds = now / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + skewSeconds < seconds) return { ok: false, reason: 'the session token has expired' };
  if (typeof claims.nbf !== 'number' || claims.nbf - skewSeconds > seconds) return { ok: false, reason: 'the session token is not valid yet (nbf)' };
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(apiKey)) return { ok: false, reason: "the session token's audience is not this app" };
  let shop: string;
  let issuer: string;
  try {
    shop = new URL(claims.dest).hostname;
    issuer = new URL(claims.iss).hostname;
  } catch {
    return { ok: false, reason: 'the session token has no valid dest/iss' };
  }
  if (!SHOP_DOMAIN.test(shop)) return { ok: false, reason: "the session token's dest is not a <name>.myshopify.com shop" };
  if (issuer !== shop) return { ok: false, reason: "the session token's iss and dest name different shops" };
  return { ok: true, shop, claims };
}
