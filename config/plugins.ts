import { secret } from '../src/secrets';

/**
 * Moat's bounded contexts, one plugin package each (see ARCHITECTURE.md), installed from
 * their built output by package name exactly as in any Strapi app (README, "Add Moat to your
 * Strapi app"). Their defaults read the MOAT_* environment variables; only what this app
 * decides differently is set here.
 */
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
    // days, months and date ranges of the dashboard: MOAT_SHOP_TIMEZONE (the plugin's default)
    insights: { enabled: true },
    // the Shopify app (README, "Shopify app"): SHOPIFY_API_KEY / SHOPIFY_API_SECRET / SHOPIFY_APP_URL
    // are read by the plugin; this app derives the token key from its own ENCRYPTION_KEY when unset
    shopify: { enabled: true, config: { tokenKey: env('MOAT_SHOPIFY_TOKEN_KEY', '') || secret('ENCRYPTION_KEY') } },
  };
};
