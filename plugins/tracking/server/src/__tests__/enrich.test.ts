import { describe, expect, it } from 'vitest';
import { classifyAcquisition, countryOf, parseClient } from '../collect/enrich';
import { SiteRegistry } from '../collect/sites';
import { parseSites } from '../config';

describe('classifyAcquisition', () => {
  const page = 'https://shop.example.com/products/tray';
  it.each([
    [`${page}?utm_source=google&utm_medium=cpc`, undefined, 'paid', 'google'],
    [`${page}?utm_source=fb&utm_medium=paid_social`, 'https://facebook.com/', 'paid', 'fb'],
    [`${page}?utm_source=klaviyo&utm_medium=email`, undefined, 'email', 'klaviyo'],
    [`${page}?utm_source=ig&utm_medium=social`, undefined, 'social', 'ig'],
    [`${page}?fbclid=abc`, 'https://m.facebook.com/', 'paid', 'm.facebook.com'],
    [page, 'https://www.bing.com/search?q=tray', 'organic_search', 'bing.com'],
    [page, 'https://www.baidu.com/', 'organic_search', 'baidu.com'],
    [page, 'https://www.linkedin.com/feed', 'social', 'linkedin.com'],
    [page, 'https://t.co/abc', 'social', 't.co'],
    [page, 'https://outlook.live.com/mail/0/', 'email', 'outlook.live.com'],
    [page, 'https://alibaba-forum.net/thread/1', 'referral', 'alibaba-forum.net'],
    [`${page}?utm_source=partner_site`, undefined, 'referral', 'partner_site'],
    [page, undefined, 'direct', null],
    [page, 'not a url', 'direct', null],
  ])('%s from %s is %s (%s)', (url, referrer, channel, source) => {
    expect(classifyAcquisition(url, referrer)).toEqual({ channel, source });
  });

  it('returns null for navigation inside the site (the session keeps its source)', () => {
    expect(classifyAcquisition(page, 'https://shop.example.com/')).toBeNull();
  });
});

describe('parseClient and countryOf', () => {
  it('reads device, browser and OS, and flags bots and empty agents', () => {
    expect(parseClient('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36')).toMatchObject({
      bot: false,
      device: 'mobile',
      os: 'Android',
    });
    expect(parseClient('Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)').bot).toBe(true);
    expect(parseClient('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36').bot).toBe(true);
    expect(parseClient(undefined).bot).toBe(true);
  });

  it('maps an IP to a country from data shipped with the package', () => {
    expect(countryOf('8.8.8.8')).toBe('US');
    expect(countryOf('::ffff:81.2.69.142')).toBe('GB');
    expect(countryOf('127.0.0.1')).toBeNull();
    expect(countryOf('garbage')).toBeNull();
  });
});

describe('sites', () => {
  it('parses MOAT_SITES and matches origins exactly or by wildcard', () => {
    const sites = new SiteRegistry(parseSites('main=https://shop.example.com https://*.example.org; dev=http://localhost:*'));
    expect(sites.allows('main', 'https://shop.example.com')).toBe(true);
    expect(sites.allows('main', 'https://SHOP.example.com')).toBe(true);
    expect(sites.allows('main', 'https://eu.example.org')).toBe(true);
    expect(sites.allows('main', 'https://shop.example.com.evil.io')).toBe(false);
    expect(sites.allows('main', 'http://shop.example.com')).toBe(false);
    expect(sites.allows('main', 'https://example.org.evil.io')).toBe(false);
    expect(sites.allows('dev', 'http://localhost:5173')).toBe(true);
    expect(sites.allows('dev', 'http://localhost.evil.io')).toBe(false);
    expect(sites.allows('dev', 'http://localhost:80.evil.io')).toBe(false);
    expect(sites.allows('main', 'https://a.b.example.org')).toBe(false);
    expect(sites.allows('nope', 'https://shop.example.com')).toBe(false);
  });
});
