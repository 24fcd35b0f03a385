import { errors } from '@strapi/utils';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** ISO 3166-1 alpha-2, assigned codes only (Intl knows them; unknown codes echo back). */
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
// named by Intl but not assigned country codes (reserved or groupings)
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'UK', 'QO', 'ZZ', 'XA', 'XB']);
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regionNames.of(code) !== code;
}

// deliberately plain: one @, no spaces, a dot in the domain; what mail servers accept is wider
// but a form field that fails this is a typo, not an address
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;
export const normalizeEmail = (email?: string | null) => (email ? email.trim().toLowerCase() : undefined);
export const isEmail = (email: string) => email.length <= 254 && EMAIL.test(email);

/** E.164 (+4915112345678) after parsing what people type: spaces, dashes, a national number with a country. */
export function toE164(phone: string, country?: string): string | null {
  const parsed = parsePhoneNumberFromString(phone.trim(), country && isCountryCode(country) ? (country as never) : undefined);
  return parsed?.isValid() ? parsed.number : null;
}

export interface FieldError {
  path: string[];
  message: string;
}

export interface ContactFields {
  email?: string;
  phone?: string;
  whatsapp?: string;
  country?: string;
}

/**
 * Normalizes email, phone, WhatsApp and country, and lists what is invalid. Callers choose:
 * an API answers 400 with the list (assertValid), the open collect path drops the bad fields.
 */
export function normalizeContact<T extends ContactFields>(input: T): { value: T; errors: FieldError[] } {
  const value = { ...input };
  const errs: FieldError[] = [];
  if (value.country) {
    const country = value.country.trim().toUpperCase();
    if (isCountryCode(country)) value.country = country;
    else errs.push({ path: ['country'], message: 'must be an ISO 3166-1 alpha-2 country code such as "DE"' });
  }
  if (value.email) {
    const email = normalizeEmail(value.email) as string;
    if (isEmail(email)) value.email = email;
    else errs.push({ path: ['email'], message: 'must be an email address such as "buyer@example.com"' });
  }
  for (const key of ['phone', 'whatsapp'] as const) {
    if (!value[key]) continue;
    const e164 = toE164(value[key] as string, value.country);
    if (e164) value[key] = e164;
    else errs.push({ path: [key], message: 'must be a phone number with its country code, such as "+49 151 2345678"' });
  }
  return { value, errors: errs };
}

/** Strapi's error middleware answers a ValidationError with 400 and these details. */
export function assertValid(errs: FieldError[]): void {
  if (errs.length === 0) return;
  throw new errors.ValidationError(errs.map((e) => `${e.path.join('.')} ${e.message}`).join('; '), { errors: errs });
}

/** Drops what failed (the collect path cannot answer 400 after its 202). */
export function withoutInvalid<T extends ContactFields>(value: T, errs: FieldError[]): T {
  const out = { ...value };
  for (const e of errs) delete out[e.path[0] as keyof ContactFields];
  return out;
}
