import { describe, expect, it } from 'vitest';
import { looksLikeCardNumber, SECRET_FIELD, scrubSecrets } from '../contracts/sensitive';
import { cleanStrings, mayNeedCleaning } from '../contracts/text';

describe('secrets never stored', () => {
  it('drops secret fields by name at any depth and keeps contact fields', () => {
    const props = {
      form: 'contact',
      fields: { email: 'li@example.cn', name: 'Li Wei', password: 'hunter2', card_number: '4111111111111111', cc_cvv: '123', csrf_token: 'abc' },
      nested: { deeper: { authenticity_token: 'x', 'cc-exp': '12/29', Passwort: 'geheim', message: 'MOQ 500 pcs?' } },
    };
    expect(scrubSecrets(props)).toEqual({
      form: 'contact',
      fields: { email: 'li@example.cn', name: 'Li Wei' },
      nested: { deeper: { message: 'MOQ 500 pcs?' } },
    });
  });

  it('drops values that look like card numbers under any name, not phone numbers or order ids', () => {
    expect(scrubSecrets({ note: '4111 1111 1111 1111', list: ['5500-0000-0000-0004', 'ok'], phone: '+86 138 0013 8000', order: '1234567890123' })).toEqual({
      list: ['ok'],
      phone: '+86 138 0013 8000',
      order: '1234567890123',
    });
    expect(looksLikeCardNumber('4111111111111111')).toBe(true);
    expect(looksLikeCardNumber('4111111111111112')).toBe(false); // Luhn fails
    expect(looksLikeCardNumber('13800138000')).toBe(false); // too short
  });

  it('keeps Luhn-valid digits in identifier fields (Shopify variant ids are 14 digits) and still drops them elsewhere', () => {
    const id = '44012345678901'; // passes Luhn
    expect(looksLikeCardNumber(id)).toBe(true);
    const props = { product: { id, variants: [{ id, title: 'Steel' }], variant_ids: [id] }, items: [{ variant_id: id, productId: id }], note: id };
    expect(scrubSecrets(props)).toEqual({ product: { id, variants: [{ id, title: 'Steel' }], variant_ids: [id] }, items: [{ variant_id: id, productId: id }] });
    // the name rule still wins over the id rule
    expect(scrubSecrets({ card_id: id })).toEqual({});
  });

  it('returns the same object when nothing is secret (the common, allocation-free path)', () => {
    const props = { path: '/products/tray', utm_source: 'news', items: [{ quantity: 2 }] };
    expect(scrubSecrets(props)).toBe(props);
  });

  it('names: passwords, PINs, OTPs, card and token fields match; everyday names do not', () => {
    for (const name of ['password', 'user[password]', 'pwd', 'pass', 'passcode', 'cardNumber', 'cc-number', 'cc_cvv', 'cvc', 'csc', 'security_code', 'xsrf', 'api_key', 'otp', 'sms_otp', 'pin', 'ssn', 'iban', 'g-recaptcha-response']) {
      expect([name, SECRET_FIELD.test(name)]).toEqual([name, true]);
    }
    for (const name of ['email', 'name', 'company', 'phone', 'message', 'shipping', 'country', 'quantity', 'spinner', 'accept']) {
      expect([name, SECRET_FIELD.test(name)]).toEqual([name, false]);
    }
  });
});

describe('strings PostgreSQL refuses', () => {
  it('finds the escapes in raw JSON and replaces NUL and lone surrogates with U+FFFD, in keys too', () => {
    const text = '{"title":"a\\u0000b","x":"\\ud800y","ok":"😀","k\\u0000":1}';
    expect(mayNeedCleaning(text)).toBe(true);
    expect(mayNeedCleaning('{"title":"plain 中文 😀"}')).toBe(false);
    expect(cleanStrings(JSON.parse(text))).toEqual({ title: 'a\uFFFDb', x: '\uFFFDy', ok: '😀', 'k\uFFFD': 1 });
  });
});
