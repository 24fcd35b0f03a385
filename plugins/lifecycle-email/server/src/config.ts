import { configValidator } from '@moat/plugin-kit';
import { z } from 'zod';
import { DEFAULT_RENDER_SETTINGS, type RenderSettings, renderSettingsProblems } from './render/settings';

export interface LifecycleEmailConfig {
  /** where mail goes: "outbox" (default: .eml files, no SMTP server needed) or "smtp" */
  transport: 'outbox' | 'smtp';
  from: string;
  /** domain for Message-IDs */
  domain: string;
  outboxDir: string;
  smtp: { host: string; port: number; secure: boolean; user?: string; pass?: string };
  /** template compile limits, worker pool and cache sizes (see render/settings.ts) */
  render: Partial<RenderSettings>;
  /** what carries message ids to workers: "local" (no Redis, the quick start) or "bullmq" (REDIS_URL) */
  queue: 'local' | 'bullmq';
  redisUrl: string;
  /** BullMQ key prefix (tests give each run its own) */
  queuePrefix: string;
  /** run the delivery workers in this process (MOAT_WORKERS=0 on web instances when `npm run worker` runs them) */
  workers: boolean;
  /** public base URL of this server, for unsubscribe / tracking links in mail */
  publicUrl: string;
  /** HMAC key for links in mail; empty: derived from APP_KEYS */
  tokenSecret: string;
  delivery: Partial<DeliveryConfig>;
  /** lifecycle flows (README, "Lifecycle flows") */
  flows: Partial<FlowsConfig>;
  campaigns: Partial<CampaignsConfig>;
}

export interface FlowsConfig {
  /** how often the scheduler advances due enrollments (MOAT_FLOW_TICK_MS) */
  tickMs: number;
  /** customers without a time zone, and date triggers (MOAT_SHOP_TIMEZONE) */
  timeZone: string;
  shopName: string;
  shopAddress: string;
  shopUrl: string;
  /** enrollments claimed per scheduler query */
  batch: number;
  leaseMs: number;
  /**
   * Touchpoints stored this long ago are read again from the store by the catch-up (their
   * trigger job may have been lost with Redis); younger ones are left to their job
   * (MOAT_FLOW_CATCHUP_LAG_MS). A touchpoint evaluated twice enrolls once.
   */
  catchUpLagMs: number;
  /**
   * An event that happened longer ago than this starts no flow (MOAT_FLOW_MAX_TRIGGER_AGE_H,
   * 0: no limit): a Shopify backfill or a CSV of last year's orders must not mail old
   * milestones. 72 h covers Shopify's 48 h of webhook retries.
   */
  maxTriggerAgeHours: number;
}

export const DEFAULT_FLOWS: FlowsConfig = {
  tickMs: 60_000,
  timeZone: 'UTC',
  shopName: 'Our shop',
  shopAddress: '',
  shopUrl: 'http://localhost:1337/',
  batch: 100,
  leaseMs: 120_000,
  catchUpLagMs: 60_000,
  maxTriggerAgeHours: 72,
};

/** Campaign sending rules (README, "Campaigns"). */
export interface CampaignsConfig {
  /** at most this many marketing messages per customer in `frequencyDays` (0: no cap) */
  frequencyCap: number;
  frequencyDays: number;
  /** the zone of recipients whose zone neither the CRM nor the tracker knows */
  shopTimezone: string;
  /** segment members read and written per round */
  pageSize: number;
}

export const DEFAULT_CAMPAIGNS: CampaignsConfig = { frequencyCap: 3, frequencyDays: 7, shopTimezone: 'UTC', pageSize: 1_000 };

/** Delivery tuning (README, "Email delivery"). */
export interface DeliveryConfig {
  batchSize: number;
  bulkConcurrency: number;
  transactionalConcurrency: number;
  /** sends at once inside one batch job */
  sendConcurrency: number;
  /** messages per second per lane across every worker (0: unlimited) */
  ratePerSecond: number;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  reconcileMs: number;
  /** a queued row untouched this long has its job checked by the reconciler */
  staleAfterMs: number;
  pollMs: number;
  unsubscribeTtlDays: number;
  trackingTtlDays: number;
  /** SMTP connections per lane */
  bulkConnections: number;
  transactionalConnections: number;
  /** requests per minute per IP on the public mail-link routes */
  linkRatePerMinute: number;
}

export const DEFAULT_DELIVERY: DeliveryConfig = {
  batchSize: 50,
  bulkConcurrency: 4,
  transactionalConcurrency: 4,
  sendConcurrency: 10,
  ratePerSecond: 0,
  leaseMs: 300_000,
  maxAttempts: 5,
  retryBaseMs: 30_000,
  reconcileMs: 30_000,
  staleAfterMs: 120_000,
  pollMs: 1_000,
  unsubscribeTtlDays: 365,
  trackingTtlDays: 180,
  bulkConnections: 5,
  transactionalConnections: 2,
  linkRatePerMinute: 300,
};


type Env = ((key: string, fallback?: string) => string) & { int(key: string, fallback?: number): number; bool(key: string, fallback?: boolean): boolean };

const positive = z.number().int().positive();
const schema = z.strictObject({
  transport: z.enum(['outbox', 'smtp']),
  from: z.string().min(3),
  domain: z.string().min(1),
  outboxDir: z.string().min(1),
  smtp: z.strictObject({ host: z.string(), port: z.number().int().min(1).max(65_535), secure: z.boolean(), user: z.string().optional(), pass: z.string().optional() }),
  render: z.record(z.string(), positive),
  queue: z.enum(['local', 'bullmq']),
  redisUrl: z.string(),
  queuePrefix: z.string().min(1),
  workers: z.boolean(),
  publicUrl: z.string().regex(/^https?:\/\/[^/]+/, 'an http(s) URL'),
  tokenSecret: z.string(),
  delivery: z.record(z.string(), z.number().min(0)),
  flows: z
    .strictObject({ tickMs: positive, timeZone: z.string().min(1), shopName: z.string(), shopAddress: z.string(), shopUrl: z.string(), batch: positive, leaseMs: positive, catchUpLagMs: z.number().int().min(0), maxTriggerAgeHours: z.number().min(0) })
    .partial(),
  campaigns: z.strictObject({
    frequencyCap: z.number().int().min(0).optional(),
    frequencyDays: z.number().int().positive().optional(),
    // MOAT_SHOP_TIMEZONE is the insights plugin's setting (it refuses a bad zone at boot); a bad one reads as UTC here
    shopTimezone: z.string().optional(),
    pageSize: z.number().int().min(1).max(5_000).optional(),
  }),
});

/** Checked at boot: a wrong transport setting stops the start with a clear message. */
function checkTransport(config: LifecycleEmailConfig) {
  if (config.transport === 'smtp' && !config.smtp?.host) {
    throw new Error('lifecycle-email: config key "smtp.host": transport "smtp" needs SMTP_HOST');
  }
  const problems = renderSettingsProblems(config.render);
  if (problems.length > 0) throw new Error(`lifecycle-email: ${problems.join('; ')}`);
}

/**
 * Defaults read the environment (README, "Add Moat to your Strapi app"): a host app that sets
 * nothing sends to the local outbox (.eml files), or through SMTP when MOAT_EMAIL_TRANSPORT=smtp.
 */
export default {
  default: ({ env }: { env: Env }): LifecycleEmailConfig => ({
    transport: env('MOAT_EMAIL_TRANSPORT', 'outbox') as LifecycleEmailConfig['transport'],
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
    // template compile limits (README, "Lifecycle email templates")
    render: {
      ...DEFAULT_RENDER_SETTINGS,
      compileTimeoutMs: env.int('MOAT_EMAIL_COMPILE_TIMEOUT_MS', DEFAULT_RENDER_SETTINGS.compileTimeoutMs),
      workers: env.int('MOAT_EMAIL_COMPILE_WORKERS', DEFAULT_RENDER_SETTINGS.workers),
    },
    queue: 'local',
    redisUrl: env('REDIS_URL', 'redis://127.0.0.1:6379'),
    queuePrefix: 'moat',
    workers: true,
    publicUrl: 'http://localhost:1337',
    tokenSecret: '',
    delivery: { ...DEFAULT_DELIVERY },
    flows: {
      ...DEFAULT_FLOWS,
      tickMs: env.int('MOAT_FLOW_TICK_MS', DEFAULT_FLOWS.tickMs),
      timeZone: env('MOAT_SHOP_TIMEZONE', DEFAULT_FLOWS.timeZone),
      shopName: env('MOAT_SHOP_NAME', DEFAULT_FLOWS.shopName),
      shopAddress: env('MOAT_SHOP_ADDRESS', DEFAULT_FLOWS.shopAddress),
      shopUrl: env('MOAT_SHOP_URL', DEFAULT_FLOWS.shopUrl),
      catchUpLagMs: env.int('MOAT_FLOW_CATCHUP_LAG_MS', DEFAULT_FLOWS.catchUpLagMs),
      maxTriggerAgeHours: env.int('MOAT_FLOW_MAX_TRIGGER_AGE_H', DEFAULT_FLOWS.maxTriggerAgeHours),
    },
    campaigns: {
      ...DEFAULT_CAMPAIGNS,
      frequencyCap: env.int('MOAT_EMAIL_FREQUENCY_CAP', DEFAULT_CAMPAIGNS.frequencyCap),
      frequencyDays: env.int('MOAT_EMAIL_FREQUENCY_DAYS', DEFAULT_CAMPAIGNS.frequencyDays),
      shopTimezone: env('MOAT_SHOP_TIMEZONE', DEFAULT_CAMPAIGNS.shopTimezone),
    },
  }),
  validator: configValidator<LifecycleEmailConfig>('lifecycle-email', schema, checkTransport),
};
