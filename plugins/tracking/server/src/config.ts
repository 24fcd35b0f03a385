import { wooSecretsOf } from './woocommerce/secrets';

export interface SiteConfig {
  /** public key the script tag carries */
  key: string;
  /** origins allowed to send with this key; `*` matches within a host or port */
  origins: string[];
}

export interface TrackingConfig {
  /** serve the demo storefront at /moat/demo and register the "demo" site */
  demo: boolean;
  /** a list, or the MOAT_SITES string (normalized to a list in register) */
  sites: SiteConfig[] | string;
  /** requests per IP and events per site, per window; counted per instance or in Redis */
  rateLimit: { ipPoints: number; sitePoints: number; duration: number; store: 'memory' | 'redis' };
  groupCommit: { windowMs: number; maxItems: number; flushAt: number };
  /** a visitor's session state is read again after this long (other instances' changes) */
  sessions: { reloadAfterMs: number };
  /** WooCommerce stores whose webhooks are accepted: secrets by site (woocommerce/secrets.ts) */
  woocommerce: { secrets: Record<string, string> | string };
}

/**
 * `MOAT_SITES` format: `key=https://shop.example.com https://www.shop.example.com;key2=...`
 * (origins separated by spaces or commas).
 */
export function parseSites(value: string): SiteConfig[] {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [key, origins = ''] = part.split('=', 2);
      return { key: key.trim(), origins: origins.split(/[\s,]+/).filter(Boolean) };
    });
}

/** what a site key and an allowed origin look like (config and the admin's sites screen) */
export const SITE_KEY = /^[A-Za-z0-9_-]{4,64}$/;
export const SITE_ORIGIN = /^https?:\/\/[^/\s]+$/;

/**
 * Why an allowed origin is too broad, or null. `*` may stand for (part of) the first host
 * label under a domain of at least two labels (`https://*.example.com`), or for the port
 * (`http://localhost:*`); `https://*.com` or `https://*.*` would let any site send as yours.
 */
export function originTooBroad(origin: string): string | null {
  const match = /^https?:\/\/([^/:]+)(?::([0-9]+|\*))?$/.exec(origin);
  if (!match) return 'must be scheme://host or scheme://host:port';
  const labels = match[1].split('.');
  const wild = labels.findIndex((label) => label.includes('*'));
  if (wild === -1) return null;
  if (wild > 0 || labels.slice(1).some((label) => label.includes('*'))) return '"*" may only stand in the first part of the host';
  if (labels.length < 3) return `"*" needs a domain of two or more parts after it, like https://*.example.com`;
  return null;
}

export default {
  default: (): TrackingConfig => ({
    demo: false,
    sites: [],
    rateLimit: { ipPoints: 600, sitePoints: 60_000, duration: 60, store: 'memory' },
    groupCommit: { windowMs: 0, maxItems: 256, flushAt: 64 },
    sessions: { reloadAfterMs: 30_000 },
    woocommerce: { secrets: {} },
  }),
  validator(config: TrackingConfig) {
    const sites = typeof config.sites === 'string' ? parseSites(config.sites) : config.sites;
    for (const site of sites) {
      if (!SITE_KEY.test(site.key)) throw new Error(`tracking: site key "${site.key}" must be 4-64 letters, digits, "-" or "_"`);
      if (site.origins.length === 0) throw new Error(`tracking: site "${site.key}" has no allowed origins`);
      for (const origin of site.origins) {
        if (!SITE_ORIGIN.test(origin)) throw new Error(`tracking: "${origin}" (site "${site.key}") is not an origin like https://shop.example.com`);
        const broad = originTooBroad(origin);
        if (broad) throw new Error(`tracking: "${origin}" (site "${site.key}") is too broad: ${broad}`);
      }
    }
    const { ipPoints, sitePoints, duration } = config.rateLimit;
    if (![ipPoints, sitePoints, duration].every((n) => Number.isInteger(n) && n > 0)) {
      throw new Error('tracking: rateLimit values must be positive integers');
    }
    if (config.rateLimit.store !== 'memory' && config.rateLimit.store !== 'redis') {
      throw new Error(`tracking: rateLimit.store (MOAT_RATE_LIMIT_STORE) must be "memory" or "redis", not "${config.rateLimit.store}"`);
    }
    if (!(Number.isInteger(config.sessions.reloadAfterMs) && config.sessions.reloadAfterMs > 0)) {
      throw new Error('tracking: sessions.reloadAfterMs (MOAT_SESSION_RELOAD_MS) must be a positive integer');
    }
    wooSecretsOf(config.woocommerce?.secrets ?? {});
  },
};
