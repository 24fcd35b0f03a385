import { existsSync } from 'node:fs';
import path from 'node:path';
import { secret } from '../src/secrets';

/**
 * Moat's bounded contexts, one local plugin each (see ARCHITECTURE.md). A plugin is enabled
 * when its server source exists, so a half-scaffolded context never blocks the app.
 */
const LOCAL_PLUGINS = ['crm', 'tracking', 'product-content', 'lifecycle-email', 'insights', 'shopify'] as const;

const local = (name: string, config: Record<string, unknown> = {}) => ({
  enabled: existsSync(path.join(process.cwd(), 'plugins', name, 'server', 'src', 'index.ts')),
  resolve: `./plugins/${name}`,
  config,
});

export default ({ env }) => {
  const demo = env.bool('MOAT_DEMO', env('NODE_ENV', 'development') !== 'production');
  return {
    i18n: { enabled: true },
    'users-permissions': { config: { jwtSecret: secret('JWT_SECRET') } },
    crm: local('crm'),
    tracking: local('tracking', {
      demo,
      // site keys and the origins allowed to send with them: "key=https://a.com https://b.com;key2=..."
      sites: env('MOAT_SITES', ''),
      rateLimit: {
        ipPoints: env.int('MOAT_COLLECT_IP_LIMIT', 600),
        sitePoints: env.int('MOAT_COLLECT_SITE_LIMIT', 60_000),
        duration: env.int('MOAT_COLLECT_WINDOW_S', 60),
        // memory: each instance counts on its own; redis: one count for every instance (REDIS_URL)
        store: env('MOAT_RATE_LIMIT_STORE', 'memory'),
      },
      // group commit: how many waiting requests one flush may take
      groupCommit: { windowMs: env.int('MOAT_COLLECT_GROUP_WINDOW_MS', 0), maxItems: env.int('MOAT_COLLECT_BATCH_MAX', 256), flushAt: env.int('MOAT_COLLECT_FLUSH_AT', 64) },
      // with several instances: how soon one sees a session or customer link another wrote
      sessions: { reloadAfterMs: env.int('MOAT_SESSION_RELOAD_MS', 30_000) },
      // WooCommerce stores whose webhooks are accepted, each with its webhook secret: "site=secret;site2=..."
      woocommerce: { secrets: env('MOAT_WOOCOMMERCE_SECRETS', '') },
    }),
    'product-content': local('product-content', {
      demo,
      rateLimit: { points: env.int('MOAT_CONTENT_RATE_LIMIT', 300), duration: env.int('MOAT_CONTENT_RATE_WINDOW_S', 60) },
    }),
    'lifecycle-email': local('lifecycle-email', {
      transport: env('MOAT_EMAIL_TRANSPORT', 'outbox'),
      from: env('MOAT_EMAIL_FROM', 'Moat <hello@moat.local>'),
      domain: env('MOAT_EMAIL_DOMAIN', 'moat.local'),
      outboxDir: env('MOAT_EMAIL_OUTBOX_DIR', '.tmp/outbox'),
      smtp: {
        host: env('SMTP_HOST', ''),
        port: env.int('SMTP_PORT', 587),
        secure: env.bool('SMTP_SECURE', false),
        user: env('SMTP_USERNAME', ''),
        pass: env('SMTP_PASSWORD', ''),
      },
      // template compile limits (README, "Lifecycle email templates"); unset ones keep the plugin defaults
      render: {
        compileTimeoutMs: env.int('MOAT_EMAIL_COMPILE_TIMEOUT_MS', 5_000),
        workers: env.int('MOAT_EMAIL_COMPILE_WORKERS', 1),
      },
      // delivery (README, "Email delivery"): local = no Redis needed; bullmq = REDIS_URL
      queue: env('MOAT_QUEUE', 'local'),
      redisUrl: env('REDIS_URL', 'redis://127.0.0.1:6379'),
      queuePrefix: env('MOAT_QUEUE_PREFIX', 'moat'),
      // 0/false/off: this instance only enqueues (`npm run worker` sends); Strapi's env.bool reads only "true"
      workers: !['0', 'false', 'off', 'no'].includes(String(env('MOAT_WORKERS', 'true')).toLowerCase()),
      publicUrl: env('MOAT_PUBLIC_URL', `http://localhost:${env.int('PORT', 1337)}`),
      tokenSecret: env('MOAT_EMAIL_TOKEN_SECRET', ''),
      delivery: Object.fromEntries(
        Object.entries({
          batchSize: env.int('MOAT_EMAIL_BATCH'),
          sendConcurrency: env.int('MOAT_EMAIL_SEND_CONCURRENCY'),
          ratePerSecond: env.int('MOAT_EMAIL_RATE_PER_S'),
          leaseMs: env.int('MOAT_EMAIL_LEASE_MS'),
          maxAttempts: env.int('MOAT_EMAIL_MAX_ATTEMPTS'),
          retryBaseMs: env.int('MOAT_EMAIL_RETRY_BASE_MS'),
          reconcileMs: env.int('MOAT_EMAIL_RECONCILE_MS'),
          staleAfterMs: env.int('MOAT_EMAIL_STALE_MS'),
          bulkConnections: env.int('MOAT_EMAIL_BULK_CONNECTIONS'),
          linkRatePerMinute: env.int('MOAT_EMAIL_LINK_RATE_LIMIT'),
        }).filter(([, v]) => v !== undefined),
      ),
    }),
    insights: local('insights', {
      // days, months and date ranges of the dashboard are the shop's (IANA zone)
      timezone: env('MOAT_SHOP_TIMEZONE', 'UTC'),
      engagedSeconds: env.int('MOAT_INSIGHTS_ENGAGED_S', 10),
      refreshEveryMs: env.int('MOAT_INSIGHTS_REFRESH_MS', 30_000),
      // weekly digest to these admin addresses (comma-separated; empty: no digest)
      digestTo: env('MOAT_INSIGHTS_DIGEST_TO', ''),
    }),
    // the Shopify app (README, "Shopify app"): its client id and secret from the Partner Dashboard
    shopify: local('shopify', {
      apiKey: env('SHOPIFY_API_KEY', ''),
      apiSecret: env('SHOPIFY_API_SECRET', ''),
      appUrl: env('SHOPIFY_APP_URL', ''),
      apiVersion: env('SHOPIFY_API_VERSION', '2025-10'),
      // access tokens are encrypted at rest with this key material (default: derived from ENCRYPTION_KEY)
      tokenKey: env('MOAT_SHOPIFY_TOKEN_KEY', '') || secret('ENCRYPTION_KEY'),
      // the tracking site key each shop sends as through the app proxy: "shop.myshopify.com=site;..."
      sites: env('MOAT_SHOPIFY_SITES', ''),
      proxyMaxAgeSeconds: env.int('MOAT_SHOPIFY_PROXY_MAX_AGE_S', 90),
      // tests and local stand-ins only (refused in production)
      apiOrigin: env('MOAT_SHOPIFY_API_ORIGIN', ''),
      inquiryRateLimit: { points: env.int('MOAT_SHOPIFY_INQUIRY_LIMIT', 10), duration: env.int('MOAT_SHOPIFY_INQUIRY_WINDOW_S', 60) },
    }),
  } satisfies Record<(typeof LOCAL_PLUGINS)[number] | 'i18n' | 'users-permissions', unknown>;
};
