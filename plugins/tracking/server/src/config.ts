import { configValidator } from '@moat/plugin-kit';
import { z } from 'zod';
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

type Env = ((key: string, fallback?: string) => string) & { int(key: string, fallback?: number): number; bool(key: string, fallback?: boolean): boolean };

const positive = z.number().int().positive();
const schema = z.strictObject({
  demo: z.boolean(),
  sites: z.union([z.string(), z.array(z.object({ key: z.string(), origins: z.array(z.string()) }))]),
  rateLimit: z.strictObject({ ipPoints: positive, sitePoints: positive, duration: positive, store: z.enum(['memory', 'redis']) }),
  groupCommit: z.strictObject({ windowMs: z.number().int().nonnegative(), maxItems: positive, flushAt: positive }),
  sessions: z.strictObject({ reloadAfterMs: positive }),
  woocommerce: z.strictObject({ secrets: z.union([z.string(), z.record(z.string(), z.string())]) }),
});

/** cross-field and format rules the schema does not express */
function checkSites(config: TrackingConfig) {
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
  wooSecretsOf(config.woocommerce?.secrets ?? {});
}

/**
 * Defaults read the environment (README, "Add Moat to your Strapi app"), so a host app that
 * sets nothing in config/plugins still gets its sites and limits from MOAT_* variables.
 */
export default {
  default: ({ env }: { env: Env }): TrackingConfig => ({
    demo: env.bool('MOAT_DEMO', false),
    // site keys and the origins allowed to send with them: "key=https://a.com https://b.com;key2=..."
    sites: env('MOAT_SITES', ''),
    rateLimit: {
      ipPoints: env.int('MOAT_COLLECT_IP_LIMIT', 600),
      sitePoints: env.int('MOAT_COLLECT_SITE_LIMIT', 60_000),
      duration: env.int('MOAT_COLLECT_WINDOW_S', 60),
      // memory: each instance counts on its own; redis: one count for every instance (REDIS_URL)
      store: env('MOAT_RATE_LIMIT_STORE', 'memory') as 'memory' | 'redis',
    },
    // group commit: how many waiting requests one flush may take
    groupCommit: { windowMs: env.int('MOAT_COLLECT_GROUP_WINDOW_MS', 0), maxItems: env.int('MOAT_COLLECT_BATCH_MAX', 256), flushAt: env.int('MOAT_COLLECT_FLUSH_AT', 64) },
    // with several instances: how soon one sees a session or customer link another wrote
    sessions: { reloadAfterMs: env.int('MOAT_SESSION_RELOAD_MS', 30_000) },
    // WooCommerce stores whose webhooks are accepted, each with its webhook secret: "site=secret;site2=..."
    woocommerce: { secrets: env('MOAT_WOOCOMMERCE_SECRETS', '') },
  }),
  validator: configValidator<TrackingConfig>('tracking', schema, checkSites),
};
