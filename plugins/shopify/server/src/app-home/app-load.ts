import { createHmac, timingSafeEqual } from 'node:crypto';
import { SHOP_DOMAIN } from '../utils/constants';
import { verifySessionToken } from '../utils/session-token';

/**
 * Who opened the app home. Shopify loads the embedded app's URL with `shop`, `timestamp`,
 * `host` ... and `hmac` (hex HMAC-SHA256 of the other parameters, sorted, as a query string),
 * and newer admin versions add `id_token` (a session token). Either proves the shop; without
 * them the page renders with no shop data.
 */
export function shopOfAppLoad(params: URLSearchParams, apiKey: string, secret: string, maxAgeSeconds = 3600, now = Date.now()): string | null {
  const idToken = params.get('id_token');
  if (idToken) {
    const check = verifySessionToken(idToken, apiKey, secret, now);
    if (check.ok) return check.shop;
  }
  const hmac = params.get('hmac');
  const shop = params.get('shop') ?? '';
  if (!hmac || !secret || !SHOP_DOMAIN.test(shop)) return null;
  const rest = [...params].filter(([k]) => k !== 'hmac' && k !== 'signature').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const expected = createHmac('sha256', secret).update(new URLSearchParams(rest).toString()).digest('hex');
  const given = Buffer.from(hmac);
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) return null;
  const timestamp = Number(params.get('timestamp'));
  if (!Number.isFinite(timestamp) || Math.abs(now / 1000 - timestamp) > maxAgeSeconds) return null;
  return shop;
}
