import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * WooCommerce signs `base64(HMAC-SHA256(body, secret))` over the exact bytes it sent
 * (`WC_Webhook::generate_signature`). It encodes with PHP's json_encode (`\/`, `\u00e9`), so
 * re-serializing the parsed JSON would never match: only the raw body can be checked.
 */
export function wooSignature(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

/** Constant-time comparison of the header against the expected signature. */
export function verifyWooSignature(rawBody: Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(wooSignature(rawBody, secret));
  const given = Buffer.from(header.trim());
  // lengths are not secret (always 44 characters); timingSafeEqual needs equal lengths
  return given.length === expected.length && timingSafeEqual(given, expected);
}
