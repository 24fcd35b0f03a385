import { env } from '@strapi/utils';
import { describe, expect, it } from 'vitest';
import { originPattern } from '../collect/sites';
import config, { originTooBroad, parseSites } from '../config';

describe('allowed origins', () => {
  it('accepts exact origins, a wildcard first label under a real domain, and a wildcard port', () => {
    for (const origin of ['https://shop.example.com', 'http://localhost:3000', 'https://*.example.com', 'https://shop-*.example.co.uk', 'http://localhost:*', 'http://127.0.0.1:*']) {
      expect([origin, originTooBroad(origin)]).toEqual([origin, null]);
    }
  });

  it('refuses wildcards that would let any site send as yours', () => {
    for (const origin of ['https://*', 'https://*.com', 'https://*.*', 'https://shop.*.com', 'https://*.*.example.com', 'https://a.b/*']) {
      expect([origin, originTooBroad(origin)]).not.toEqual([origin, null]);
    }
  });

  it('stops the app at boot when MOAT_SITES holds one, naming it', () => {
    const defaults = config.default({ env });
    expect(() => config.validator({ ...defaults, sites: parseSites('shop_main=https://shop.example.com https://*.com') })).toThrow(
      /"https:\/\/\*\.com" \(site "shop_main"\) is too broad/,
    );
    expect(() => config.validator({ ...defaults, sites: parseSites('shop_main=https://*.example.com') })).not.toThrow();
  });

  it('a port wildcard matches digits only; a host wildcard one whole label', () => {
    const port = originPattern('http://localhost:*');
    expect(port.test('http://localhost:3000')).toBe(true);
    expect(port.test('http://localhost:evil-port')).toBe(false);
    expect(port.test('http://localhost:123456')).toBe(false);
    expect(port.test('http://localhost')).toBe(false);
    const host = originPattern('https://*.example.com');
    expect(host.test('https://eu.example.com')).toBe(true);
    expect(host.test('https://.example.com')).toBe(false);
    expect(host.test('https://a.b.example.com')).toBe(false);
    expect(host.test('https://evil.com/.example.com')).toBe(false);
  });
});
