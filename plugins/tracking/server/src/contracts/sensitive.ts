/**
 * What Moat never stores, whoever sends it: the browser tracker already skips these fields,
 * but the collect endpoint and the server-side API are open to any client, so the server
 * applies the same rules (and a few more) before anything reaches the touchpoint store.
 * No zod here: this file is small enough for any bundle.
 */

/**
 * Field names that hold secrets. A superset of the tracker's own rule (kept separate there:
 * its 3 KB budget): passwords and PINs, card fields (cc-*, cc_*, cvv/cvc/csc, expiry),
 * tokens and CSRF/XSRF nonces, captchas, bank and social-security numbers, API keys, OTPs.
 */
export const SECRET_FIELD =
  /pass(?:word|wd|code|phrase)?(?:$|[^a-z])|^pass|pwd|card|^cc(?:$|[-_ ])|cc[-_ ]?(?:num|number|no|exp|cvv|cvc|csc|name)|cvv|cvc|^csc$|security[-_ ]?code|token|csrf|xsrf|captcha|iban|^ssn$|[-_ ]ssn$|secret|api[-_ ]?key|^otp|[-_]otp$|^pin$|[-_]pin$/i;

/** 13-19 digits, optionally grouped by single spaces or dashes (how people type card numbers). */
const CARD_SHAPE = /^\d(?:[ -]?\d){12,18}$/;

/** True when the text is a plausible payment card number (right length and Luhn checksum). */
export function looksLikeCardNumber(text: string): boolean {
  if (text.length < 13 || text.length > 40 || !CARD_SHAPE.test(text.trim())) return false;
  const digits = text.replace(/\D/g, '');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

type Json = unknown;

/**
 * Identifier fields keep their digits: Shopify variant and product ids are 13-14 digit numbers
 * that pass the Luhn check about one time in ten, so a card-number test there dropped real
 * variant ids (and the cart lines lost their product names).
 */
export const ID_FIELD = /^(?:id|gid|key|sku|handle|barcode|gtin|ean|upc)$|[-_ ](?:id|ids|gid|key|sku)$|[a-z0-9](?:Id|Ids|Gid)$/;
const cardLike = (key: string | null, v: Json) => typeof v === 'string' && !(key !== null && ID_FIELD.test(key)) && looksLikeCardNumber(v);

/** Whether anything below `value` would be removed by scrubSecrets (no allocation: the common case). */
/** `key`: the field the value sits in (an array's items inherit it), null at the top. */
function hasSecret(value: Json, depth: number, key: string | null): boolean {
  if (typeof value === 'string') return cardLike(key, value);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasSecret(v, depth + 1, key));
  for (const k in value as Record<string, Json>) {
    if (SECRET_FIELD.test(k) || hasSecret((value as Record<string, Json>)[k], depth + 1, k)) return true;
  }
  return false;
}

function scrub(value: Json, depth: number, key: string | null): Json {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.filter((v) => !cardLike(key, v)).map((v) => scrub(v, depth + 1, key));
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value as Record<string, Json>)) {
    if (SECRET_FIELD.test(k) || cardLike(k, v)) continue;
    out[k] = scrub(v, depth + 1, k);
  }
  return out;
}

/**
 * Properties without secret fields (by name, at any depth) and without values that look
 * like card numbers. Returns the same object when there is nothing to remove.
 */
export function scrubSecrets<T extends Record<string, unknown>>(props: T): T {
  return hasSecret(props, 0, null) ? (scrub(props, 0, null) as T) : props;
}
