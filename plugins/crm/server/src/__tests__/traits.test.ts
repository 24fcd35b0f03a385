import { describe, expect, it } from 'vitest';
import { isCountryCode, normalizeContact, toE164 } from '../utils/traits';

describe('contact field normalization', () => {
  it('normalizes email, phone (E.164, with the country when given) and country', () => {
    const { value, errors } = normalizeContact({ email: '  Buyer@Example.COM ', phone: '030 1234567', country: 'de' });
    expect(errors).toEqual([]);
    expect(value).toEqual({ email: 'buyer@example.com', phone: '+49301234567', country: 'DE' });
    expect(toE164('+1 (415) 555-2671')).toBe('+14155552671');
  });

  it('names every invalid field', () => {
    const { errors } = normalizeContact({ email: 'a@b', phone: '12', whatsapp: 'call me', country: 'XX' });
    expect(errors.map((e) => e.path[0]).sort()).toEqual(['country', 'email', 'phone', 'whatsapp']);
  });

  it('knows assigned ISO 3166-1 alpha-2 codes only', () => {
    expect(['DE', 'CN', 'US', 'BR', 'AE'].every(isCountryCode)).toBe(true);
    expect(['XX', 'EU', 'UK', 'de', 'DEU', ''].some(isCountryCode)).toBe(false);
  });
});
