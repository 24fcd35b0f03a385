/**
 * Mail privacy proxies fetch every image when a message arrives (Apple Mail Privacy
 * Protection) or when it is first displayed through the provider's cache (Gmail, Yahoo): such
 * an "open" says nothing about the reader, so it is recorded with proxy: true and does not
 * count as engagement.
 */
const PROXY_UA = /GoogleImageProxy|ggpht\.com|YahooMailProxy|Outlook-iOS-Android-Proxy|Superhuman|Front\/|Mimecast|Barracuda/i;

/** Apple's own network (MPP fetches from 17.0.0.0/8, with the bare "Mozilla/5.0" user agent). */
function isAppleIp(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return /^17\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

export function isPrivacyProxy(userAgent: string | undefined, ip: string | undefined): boolean {
  const ua = (userAgent ?? '').trim();
  if (PROXY_UA.test(ua)) return true;
  // MPP's prefetcher sends exactly "Mozilla/5.0" and nothing else
  if (ua === 'Mozilla/5.0') return true;
  return ip ? isAppleIp(ip) : false;
}
