import { createHmac, randomUUID } from 'node:crypto';
import { APP_KEY, APP_SECRET } from '../fixtures/shopify';

/** An App Bridge session token (HS256 JWT signed with the app secret); `claims` override the defaults. */
export function sessionToken(shop: string, options: { secret?: string; claims?: Record<string, unknown> } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const payload = { iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: APP_KEY, sub: '42', exp: now + 60, nbf: now - 5, iat: now, jti: randomUUID(), sid: randomUUID(), ...options.claims };
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', options.secret ?? APP_SECRET).update(unsigned).digest('base64url')}`;
}
