import { describe, expect, it } from 'vitest';
import { messageLinks, trackHtml } from '../links';
import { pageLocale, preferencesPage } from '../pages';
import { isPrivacyProxy } from '../proxy';
import { createTokenSigner, TokenError } from '../tokens';

const signer = createTokenSigner('unit-test-secret-0123456789');
const problem = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof TokenError ? error.problem : 'other';
  }
  return 'none';
};

describe('signed mail-link tokens', () => {
  const future = Math.floor(Date.now() / 1000) + 60;

  it('verifies its own token for the same purpose', () => {
    expect(signer.verify(signer.sign({ p: 'u', m: 7, e: future }), 'u')).toMatchObject({ p: 'u', m: 7 });
  });

  it('refuses a changed payload, another key, another purpose, an expired or malformed token', () => {
    const token = signer.sign({ p: 'c', m: 7, e: future, l: 'https://shop.example.com/' });
    const [, mac] = token.split('.');
    const changed = `${Buffer.from(JSON.stringify({ p: 'c', m: 7, e: future, l: 'https://evil.example/' })).toString('base64url')}.${mac}`;
    expect(problem(() => signer.verify(changed, 'c'))).toBe('forged');
    expect(problem(() => createTokenSigner('another-secret-0123456789').verify(token, 'c'))).toBe('forged');
    expect(problem(() => signer.verify(token, 'u'))).toBe('wrong_purpose');
    expect(problem(() => signer.verify(signer.sign({ p: 'u', m: 7, e: future - 120 }), 'u'))).toBe('expired');
    expect(problem(() => signer.verify('no-dot', 'u'))).toBe('malformed');
    expect(problem(() => signer.verify('x'.repeat(5000), 'u'))).toBe('malformed');
  });

  it('refuses a short secret at boot', () => {
    expect(() => createTokenSigner('short')).toThrow(/16 characters/);
  });
});

describe('link tracking', () => {
  const options = { baseUrl: 'https://moat.example', signer, messageId: 42, nowMs: Date.now(), unsubscribeTtlDays: 365, trackingTtlDays: 180 };
  const links = messageLinks(options);

  it('signs every outside link with its destination and leaves our own links alone', () => {
    const html = `<html><body><a href="https://shop.example.com/p?a=1&amp;b=2">shop</a> <a href='${links.unsubscribe}'>u</a> <a href="mailto:x@y.z">m</a></body></html>`;
    const out = trackHtml(html, options, links);
    const click = /href="https:\/\/moat\.example\/api\/lifecycle-email\/c\/([^"]+)"/.exec(out)?.[1] as string;
    expect(signer.verify(click, 'c').l).toBe('https://shop.example.com/p?a=1&b=2');
    expect(out).toContain(`href='${links.unsubscribe}'`);
    expect(out).toContain('href="mailto:x@y.z"');
    expect(out).toMatch(/<img src="https:\/\/moat\.example\/api\/lifecycle-email\/o\/[^"]+"[^>]*><\/body>/);
  });

  it('signs the URL itself, not the HTML escapes Handlebars put in the attribute (a tracking link with ?id=)', () => {
    const html = '<a href="https://track.example/t?tracking-id&#x3D;JD0146&amp;lang&#x3D;en&#x27;">t</a>';
    const click = /href="https:\/\/moat\.example\/api\/lifecycle-email\/c\/([^"]+)"/.exec(trackHtml(html, options, links))?.[1] as string;
    expect(signer.verify(click, 'c').l).toBe("https://track.example/t?tracking-id=JD0146&lang=en'");
  });
});

describe('privacy proxies', () => {
  it('marks Apple MPP and image proxies, not real mail clients', () => {
    expect(isPrivacyProxy('Mozilla/5.0', '203.0.113.9')).toBe(true);
    expect(isPrivacyProxy('Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15', '17.58.0.1')).toBe(true);
    expect(isPrivacyProxy('Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', '66.249.1.1')).toBe(true);
    expect(isPrivacyProxy('YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', '1.2.3.4')).toBe(true);
    expect(isPrivacyProxy('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', '203.0.113.9')).toBe(false);
    expect(isPrivacyProxy('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Thunderbird/115.0', '::ffff:198.51.100.4')).toBe(false);
  });
});

describe('the preferences page', () => {
  it('speaks the message language and escapes the address', () => {
    expect(pageLocale('zh-CN')).toBe('zh-Hans');
    expect(pageLocale('de-AT')).toBe('de');
    expect(pageLocale('ja')).toBe('en');
    expect(pageLocale(null)).toBe('en');
    const page = preferencesPage('fr', '<b>@x.y', true, '/api/lifecycle-email/u/t');
    expect(page).toContain('lang="fr"');
    expect(page).toContain('Se désabonner');
    expect(page).not.toContain('<b>@');
  });
});
