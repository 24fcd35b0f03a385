import { SHOP_DOMAIN } from './utils/constants';

export interface ShopifyConfig {
  /** the app's client id and secret (Partner Dashboard / shopify.app.toml client_id) */
  apiKey: string;
  apiSecret: string;
  scopes: string;
  /** public https URL of this Moat server (OAuth redirects are built on it) */
  appUrl: string;
  apiVersion: string;
  /** key material for the access tokens' AES-256-GCM encryption (HKDF-derived to 32 bytes) */
  tokenKey: string;
  /** which tracking site key each shop's storefront sends as (proxy collect): "shop.myshopify.com=site;..." */
  sites: string | Record<string, string>;
  /** proxy signatures older (or newer) than this are refused */
  proxyMaxAgeSeconds: number;
  /** tests and local stand-ins only: send OAuth/Admin API calls here instead of https://<shop> */
  apiOrigin: string;
  /** inquiries per client address and window (the RFQ form is public) */
  inquiryRateLimit: { points: number; duration: number };
  /** a checkout without an order this long is abandoned (the abandoned-cart flow's trigger) */
  abandonAfterHours: number;
  /** how often abandoned checkouts are looked for (0: never, e.g. a web-only instance) */
  abandonSweepMs: number;
  /** import existing customers, products and orders (Admin REST API) */
  backfill: {
    /** start it when a shop installs the app */
    onInstall: boolean;
    /** a runner's hold on a job; another instance takes over this long after a crash */
    leaseSeconds: number;
    /** items per page (Shopify's maximum is 250) */
    pageSize: number;
  };
  /** verified webhooks are recorded, answered, then processed from this queue (services/webhooks.ts) */
  webhooks: {
    /** "bullmq" (Redis at redisUrl) or "local" (in process: the quick start without Redis) */
    queue: 'bullmq' | 'local';
    redisUrl: string;
    /** BullMQ key prefix */
    prefix: string;
    /** run the workers and the reconciler in this process (off on web instances when `npm run worker` runs them) */
    workers: boolean;
    /** deliveries processed at once per worker process */
    concurrency: number;
    /** tries per delivery before it is marked failed (the admin can retry it) */
    attempts: number;
    /** delay before the first retry; doubled for each next one */
    backoffMs: number;
    /** how long a worker holds a delivery it is processing */
    leaseSeconds: number;
    /** how often recorded-but-unprocessed deliveries are enqueued again (0: only at start) */
    reconcileMs: number;
    /** a delivery must have waited this long before the periodic reconciler enqueues it again */
    reconcileStaleMs: number;
    /** processed and ignored deliveries are deleted after this many days (0: kept); failed ones stay */
    retentionDays: number;
  };
}

/** `MOAT_SHOPIFY_SITES` format: `shop.myshopify.com=site;shop2.myshopify.com=site2`. */
export function sitesOf(value: ShopifyConfig['sites']): Map<string, string> {
  const entries =
    typeof value === 'string'
      ? value
          .split(';')
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p) => p.split('=', 2).map((s) => s.trim()) as [string, string])
      : Object.entries(value);
  const out = new Map<string, string>();
  for (const [shop, site] of entries) {
    if (!SHOP_DOMAIN.test(shop ?? '')) throw new Error(`shopify: "${String(shop).slice(0, 80)}" in MOAT_SHOPIFY_SITES is not a <name>.myshopify.com domain`);
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(site ?? '')) throw new Error(`shopify: the site key of ${shop} in MOAT_SHOPIFY_SITES must be 4-64 letters, digits, "-" or "_"`);
    out.set(shop, site);
  }
  return out;
}

/** Strapi's `env` helper, as handed to a plugin's config default */
type Env = ((key: string, fallback?: string) => string) & { int(key: string, fallback?: number): number };

export default {
  // a host app that sets nothing gets these, read from the environment (README, "Shopify app")
  default: ({ env }: { env: Env }): ShopifyConfig => ({
    // the app's client id and secret from the Partner Dashboard
    apiKey: env('SHOPIFY_API_KEY', ''),
    apiSecret: env('SHOPIFY_API_SECRET', ''),
    scopes: 'read_customers,read_orders,read_fulfillments,read_checkouts,read_products,write_products,write_pixels,read_customer_events',
    appUrl: env('SHOPIFY_APP_URL', ''),
    apiVersion: env('SHOPIFY_API_VERSION', '2025-10'),
    // key material for the access tokens' encryption at rest (a host app may derive it from its own secrets)
    tokenKey: env('MOAT_SHOPIFY_TOKEN_KEY', ''),
    // the tracking site key each shop sends as through the app proxy: "shop.myshopify.com=site;..."
    sites: env('MOAT_SHOPIFY_SITES', ''),
    proxyMaxAgeSeconds: env.int('MOAT_SHOPIFY_PROXY_MAX_AGE_S', 90),
    // tests and local stand-ins only (refused in production)
    apiOrigin: env('MOAT_SHOPIFY_API_ORIGIN', ''),
    inquiryRateLimit: { points: env.int('MOAT_SHOPIFY_INQUIRY_LIMIT', 10), duration: env.int('MOAT_SHOPIFY_INQUIRY_WINDOW_S', 60) },
    // Klaviyo's and Shopify's abandoned-checkout emails wait hours, not minutes: the buyer may still be paying
    abandonAfterHours: env.int('MOAT_SHOPIFY_ABANDON_HOURS', 4),
    abandonSweepMs: env.int('MOAT_SHOPIFY_ABANDON_SWEEP_MS', 300_000),
    backfill: {
      onInstall: env('MOAT_SHOPIFY_BACKFILL_ON_INSTALL', 'true') !== 'false',
      leaseSeconds: env.int('MOAT_SHOPIFY_BACKFILL_LEASE_S', 60),
      pageSize: env.int('MOAT_SHOPIFY_BACKFILL_PAGE_SIZE', 250),
    },
    webhooks: {
      // the same queue choice as email delivery (MOAT_QUEUE), unless the Shopify one is set
      queue: env('MOAT_SHOPIFY_QUEUE', env('MOAT_QUEUE', 'local')) === 'bullmq' ? 'bullmq' : 'local',
      redisUrl: env('MOAT_SHOPIFY_REDIS_URL', env('REDIS_URL', 'redis://127.0.0.1:6379')),
      prefix: env('MOAT_QUEUE_PREFIX', 'moat'),
      workers: !['0', 'false', 'off', 'no'].includes(String(env('MOAT_WORKERS', 'true')).toLowerCase()),
      concurrency: env.int('MOAT_SHOPIFY_WEBHOOK_CONCURRENCY', 4),
      attempts: env.int('MOAT_SHOPIFY_WEBHOOK_ATTEMPTS', 8),
      backoffMs: env.int('MOAT_SHOPIFY_WEBHOOK_BACKOFF_MS', 1_000),
      leaseSeconds: env.int('MOAT_SHOPIFY_WEBHOOK_LEASE_S', 120),
      reconcileMs: env.int('MOAT_SHOPIFY_WEBHOOK_RECONCILE_MS', 60_000),
      reconcileStaleMs: env.int('MOAT_SHOPIFY_WEBHOOK_STALE_MS', 60_000),
      retentionDays: env.int('MOAT_SHOPIFY_WEBHOOK_RETENTION_DAYS', 30),
    },
  }),
  validator(config: ShopifyConfig) {
    sitesOf(config.sites);
    if (config.apiSecret && config.apiSecret.length < 16) throw new Error('shopify: SHOPIFY_API_SECRET looks truncated (under 16 characters)');
    if (config.apiOrigin && process.env.NODE_ENV === 'production') throw new Error('shopify: MOAT_SHOPIFY_API_ORIGIN is for local stand-ins and tests; unset it in production');
    if (!(config.proxyMaxAgeSeconds > 0)) throw new Error('shopify: proxyMaxAgeSeconds must be positive');
    if (!(config.abandonAfterHours > 0 && config.abandonAfterHours <= 24 * 30)) throw new Error('shopify: abandonAfterHours (MOAT_SHOPIFY_ABANDON_HOURS) must be between 1 and 720');
    if (!(config.abandonSweepMs === 0 || config.abandonSweepMs >= 1000)) throw new Error('shopify: abandonSweepMs (MOAT_SHOPIFY_ABANDON_SWEEP_MS) must be 0 (off) or at least 1000');
    const { leaseSeconds, pageSize } = config.backfill ?? {};
    if (!(leaseSeconds >= 2)) throw new Error('shopify: backfill.leaseSeconds (MOAT_SHOPIFY_BACKFILL_LEASE_S) must be at least 2');
    if (!(pageSize >= 1 && pageSize <= 250)) throw new Error('shopify: backfill.pageSize (MOAT_SHOPIFY_BACKFILL_PAGE_SIZE) must be 1-250 (Shopify caps pages at 250)');
    const w = config.webhooks;
    if (!w || !['bullmq', 'local'].includes(w.queue)) throw new Error('shopify: webhooks.queue (MOAT_SHOPIFY_QUEUE / MOAT_QUEUE) must be "bullmq" or "local"');
    if (w.queue === 'bullmq' && !/^rediss?:\/\//.test(w.redisUrl)) throw new Error('shopify: webhooks.redisUrl (REDIS_URL) must be a redis:// or rediss:// URL');
    if (!(w.concurrency >= 1 && w.attempts >= 1 && w.backoffMs >= 0 && w.leaseSeconds >= 5)) throw new Error('shopify: webhooks needs concurrency >= 1, attempts >= 1, backoffMs >= 0 and leaseSeconds >= 5');
    if (!(w.reconcileMs === 0 || w.reconcileMs >= 1000) || !(w.reconcileStaleMs >= 0)) throw new Error('shopify: webhooks.reconcileMs must be 0 (at start only) or at least 1000; reconcileStaleMs not negative');
    // Shopify retries a delivery for up to 48 hours: a shorter retention would let a retry in again
    if (!(w.retentionDays === 0 || w.retentionDays >= 3)) throw new Error('shopify: webhooks.retentionDays (MOAT_SHOPIFY_WEBHOOK_RETENTION_DAYS) must be 0 (keep) or at least 3');
  },
};
