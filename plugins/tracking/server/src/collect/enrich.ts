import * as geoip from 'geoip-country';
import { isbot } from 'isbot';
import { UAParser } from 'ua-parser-js';

export interface Client {
  bot: boolean;
  device: string;
  browser: string | null;
  os: string | null;
}

/** A storefront sees few distinct User-Agents; parsing each once keeps ua-parser off the hot path. */
const UA_CACHE_MAX = 5000;
const uaCache = new Map<string, Client>();

export function parseClient(userAgent: string | undefined): Client {
  const ua = (userAgent ?? '').slice(0, 512);
  const cached = uaCache.get(ua);
  if (cached) return cached;
  const parsed = new UAParser(ua).getResult();
  const client: Client = {
    bot: ua === '' || isbot(ua),
    device: parsed.device.type === 'mobile' || parsed.device.type === 'tablet' ? parsed.device.type : 'desktop',
    browser: parsed.browser.name ?? null,
    os: parsed.os.name ?? null,
  };
  if (uaCache.size >= UA_CACHE_MAX) uaCache.delete(uaCache.keys().next().value as string);
  uaCache.set(ua, client);
  return client;
}

/** ISO country from the IP at ingest; the IP itself is never stored. */
export function countryOf(ip: string): string | null {
  const bare = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  try {
    return geoip.lookup(bare)?.country ?? null;
  } catch {
    return null;
  }
}

export type SourceChannel = 'direct' | 'organic_search' | 'paid' | 'social' | 'email' | 'referral';
export interface Acquisition {
  source: string | null;
  channel: SourceChannel;
}

const SEARCH = /(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|naver|ecosia|sogou|seznam|qwant|so)\.[a-z.]+$/;
const SOCIAL =
  /(^|\.)(facebook|fb|instagram|twitter|x|t|linkedin|lnkd|pinterest|youtube|tiktok|reddit|vk|weibo|whatsapp|wa|telegram|snapchat|quora|threads)\.[a-z.]+$/;
const MAIL = /(^|\.)(mail\.google|outlook\.live|outlook\.office|mail\.yahoo|mail\.qq|mail\.163|webmail\.[a-z]+)\.[a-z.]+$|^mail\./;
const PAID_MEDIUM = /^(cpc|ppc|paid|paidsearch|paid_search|paid_social|paidsocial|cpm|cpv|display|banner|retargeting|ads?)$/;
const SOCIAL_MEDIUM = /^(social|social[-_]network|social[-_]media|sm)$/;
const EMAIL_MEDIUM = /^(e-?mail|newsletter|edm)$/;
const CLICK_IDS = ['gclid', 'gbraid', 'wbraid', 'msclkid', 'fbclid', 'ttclid', 'li_fat_id', 'twclid'];

/** A URL the visitor's browser sent, parsed once per event (null when absent or invalid). */
export function parseUrl(url: string | undefined | null): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const bareHost = (url: URL | null) => (url ? url.hostname.toLowerCase().replace(/^www\./, '') : null);

/** Referrers repeat (google.com, the store's own pages): their hosts are parsed once. */
const REFERRER_CACHE_MAX = 2000;
const referrerHosts = new Map<string, string | null>();
function referrerHost(referrer: string | undefined): string | null {
  if (!referrer) return null;
  let host = referrerHosts.get(referrer);
  if (host === undefined) {
    host = bareHost(parseUrl(referrer));
    if (referrerHosts.size >= REFERRER_CACHE_MAX) referrerHosts.clear();
    referrerHosts.set(referrer, host);
  }
  return host;
}

/**
 * Where a visit came from, the way GA / HubSpot classify it: utm_* first, then ad click ids,
 * then the referrer's host. Returns null for navigation inside the site (keeps the session's
 * original source).
 */
export function classifyAcquisition(pageUrl: string | URL | undefined | null, referrer: string | undefined): Acquisition | null {
  const page = typeof pageUrl === 'string' ? parseUrl(pageUrl) : (pageUrl ?? null);
  const params = page?.searchParams ?? null;
  const utmSource = params?.get('utm_source')?.toLowerCase().slice(0, 128) || null;
  const medium = params?.get('utm_medium')?.toLowerCase() ?? '';
  const refHost = referrerHost(referrer);
  if (utmSource || medium) {
    const source = utmSource ?? refHost;
    if (PAID_MEDIUM.test(medium)) return { source, channel: 'paid' };
    if (EMAIL_MEDIUM.test(medium)) return { source, channel: 'email' };
    if (SOCIAL_MEDIUM.test(medium)) return { source, channel: 'social' };
    if (medium === 'organic') return { source, channel: 'organic_search' };
  }
  if (params && CLICK_IDS.some((id) => params.has(id))) return { source: utmSource ?? refHost, channel: 'paid' };
  if (!refHost) return utmSource ? { source: utmSource, channel: 'referral' } : { source: null, channel: 'direct' };
  if (refHost === bareHost(page)) return null;
  if (SEARCH.test(refHost)) return { source: utmSource ?? refHost, channel: 'organic_search' };
  if (SOCIAL.test(refHost)) return { source: utmSource ?? refHost, channel: 'social' };
  if (MAIL.test(refHost)) return { source: utmSource ?? refHost, channel: 'email' };
  return { source: utmSource ?? refHost, channel: 'referral' };
}

/** Path of a URL, or null. */
export function pathOf(url: string | URL | undefined | null): string | null {
  const parsed = typeof url === 'string' ? parseUrl(url) : url;
  return parsed ? parsed.pathname : null;
}
