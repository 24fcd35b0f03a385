import { createHmac, timingSafeEqual } from 'node:crypto';

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // lengths are not secret (fixed per encoding); timingSafeEqual needs equal lengths
  return x.length === y.length && timingSafeEqual(x, y);
};

/** X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the exact raw body with the app secret. */
export const webhookHmac = (rawBody: Buffer, secret: string) => createHmac('sha256', secret).update(rawBody).digest('base64');

export function verifyWebhookHmac(rawBody: Buffer, secret: string, header: string | undefined): boolean {
  return !!header && !!secret && safeEqual(header.trim(), webhookHmac(rawBody, secret));
}

/**
 * The app proxy's `signature`: hex HMAC-SHA256 of every other query parameter as `key=value`
 * (several values of one key joined with ","), sorted, concatenated without a separator.
 */
export function proxySignature(params: URLSearchParams, secret: string): string {
  const values = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === 'signature') continue;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  const message = [...values]
    .map(([key, list]) => `${key}=${list.join(',')}`)
    .sort()
    .join('');
  return createHmac('sha256', secret).update(message).digest('hex');
}

export type ProxyCheck = { ok: true; shop: string; customerId: string | null } | { ok: false; reason: string };

/** Checks an app proxy request's query: signature present and right, timestamp within maxAge. */
export function verifyProxyQuery(params: URLSearchParams, secret: string, maxAgeSeconds: number, now = Date.now()): ProxyCheck {
  const signature = params.get('signature');
  if (!signature) return { ok: false, reason: 'the app proxy signature is missing' };
  if (!secret) return { ok: false, reason: 'the Shopify app secret is not configured (SHOPIFY_API_SECRET)' };
  if (!safeEqual(signature, proxySignature(params, secret))) return { ok: false, reason: 'the app proxy signature does not match' };
  const timestamp = Number(params.get('timestamp'));
  if (!Number.isFinite(timestamp)) return { ok: false, reason: 'the app proxy timestamp is missing' };
  if (Math.abs(now / 1000 - timestamp) > maxAgeSeconds) return { ok: false, reason: `the app proxy signature is older than ${maxAgeSeconds} s` };
  const shop = params.get('shop') ?? '';
  if (!shop) return { ok: false, reason: 'the shop parameter is missing' };
  return { ok: true, shop, customerId: params.get('logged_in_customer_id') || null };
}
