import { existsSync } from 'node:fs';
import path from 'node:path';
import { secret } from '../src/secrets';

/**
 * Moat's bounded contexts, one plugin package each (see ARCHITECTURE.md), installed from
 * their built output by package name exactly as in any Strapi app (README, "Add Moat to your
 * Strapi app"). Their defaults read the MOAT_* environment variables; only what this app
 * decides differently is set here. Plugins not yet converted to packages
 * (docs/plugin-package.md) are still loaded from their folder with `local()`.
 */
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
    crm: { enabled: true },
    tracking: { enabled: true, config: { demo } },
    'product-content': { enabled: true, config: { demo } },
    'lifecycle-email': {
      enabled: true,
      config: {
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
      },
    },
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
  };
};
