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

/** Whether anything below `value` would be removed by scrubSecrets (no allocation: the common case). */
function hasSecret(value: Json, depth: number): boolean {
  if (typeof value === 'string') return looksLikeCardNumber(value);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasSecret(v, depth + 1));
  for (const key in value as Record<string, Json>) {
    if (SECRET_FIELD.test(key) || hasSecret((value as Record<string, Json>)[key], depth + 1)) return true;
  }
  return false;
}

function scrub(value: Json, depth: number): Json {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.filter((v) => !(typeof v === 'string' && looksLikeCardNumber(v))).map((v) => scrub(v, depth + 1));
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value as Record<string, Json>)) {
    if (SECRET_FIELD.test(key) || (typeof v === 'string' && looksLikeCardNumber(v))) continue;
    out[key] = scrub(v, depth + 1);
  }
  return out;
}

/**
 * Properties without secret fields (by name, at any depth) and without values that look
 * like card numbers. Returns the same object when there is nothing to remove.
 */
export function scrubSecrets<T extends Record<string, unknown>>(props: T): T {
  return hasSecret(props, 0) ? (scrub(props, 0) as T) : props;
}
