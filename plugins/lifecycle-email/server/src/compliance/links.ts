import type { TokenSigner } from './tokens';

/** Links a message carries, each signed for this message. */
export interface MessageLinks {
  unsubscribe: string;
  preferences: string;
  viewInBrowser: string;
  openPixel: string;
}

export interface LinkOptions {
  /** public base URL of the API, e.g. https://moat.example.com */
  baseUrl: string;
  signer: TokenSigner;
  messageId: number;
  nowMs: number;
  unsubscribeTtlDays: number;
  trackingTtlDays: number;
}

const PREFIX = '/api/lifecycle-email';
const days = (n: number) => n * 86_400;

export function messageLinks(o: LinkOptions): MessageLinks {
  const now = Math.floor(o.nowMs / 1000);
  const tok = (p: 'u' | 'v' | 'o', ttl: number) => o.signer.sign({ p, m: o.messageId, e: now + days(ttl) });
  const unsubscribe = tok('u', o.unsubscribeTtlDays);
  return {
    unsubscribe: `${o.baseUrl}${PREFIX}/u/${unsubscribe}`,
    preferences: `${o.baseUrl}${PREFIX}/u/${unsubscribe}?view=preferences`,
    viewInBrowser: `${o.baseUrl}${PREFIX}/v/${tok('v', o.trackingTtlDays)}`,
    openPixel: `${o.baseUrl}${PREFIX}/o/${tok('o', o.trackingTtlDays)}`,
  };
}

/** the entities Handlebars writes for an attribute value (escapeExpression); `&amp;` last */
const ENTITIES: Array<[RegExp, string]> = [
  [/&#x3D;/gi, '='],
  [/&#x27;/gi, "'"],
  [/&#x60;/gi, '`'],
  [/&quot;/g, '"'],
  [/&lt;/g, '<'],
  [/&gt;/g, '>'],
  [/&amp;/g, '&'],
];
const unescapeHtml = (value: string) => ENTITIES.reduce((v, [entity, char]) => v.replace(entity, char), value);

const HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(https?:\/\/[^"'\s<>]{1,2048})\2/gi;

/**
 * Rewrites every http(s) link of the HTML part to a signed click link (the destination is in
 * the signature) and adds the open pixel. Links to our own unsubscribe/view pages stay as
 * they are. Handlebars already escaped the URL for the attribute (`&` as `&amp;`, `=` as
 * `&#x3D;`, as a tracking link's `?id=` has): undo that, or the redirect goes to the escaped text.
 */
export function trackHtml(html: string, o: LinkOptions, links: MessageLinks): string {
  const exp = Math.floor(o.nowMs / 1000) + days(o.trackingTtlDays);
  const own = `${o.baseUrl}${PREFIX}/`;
  const rewritten = html.replace(HREF, (whole, start: string, quote: string, url: string) => {
    if (url.startsWith(own)) return whole;
    const dest = unescapeHtml(url);
    const token = o.signer.sign({ p: 'c', m: o.messageId, e: exp, l: dest });
    return `${start}${quote}${o.baseUrl}${PREFIX}/c/${token}${quote}`;
  });
  const pixel = `<img src="${links.openPixel}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`;
  return rewritten.includes('</body>') ? rewritten.replace('</body>', `${pixel}</body>`) : rewritten + pixel;
}
