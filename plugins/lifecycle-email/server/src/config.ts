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
}

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

export default {
  default: (): LifecycleEmailConfig => ({
    transport: 'outbox',
    from: 'Moat <hello@moat.local>',
    domain: 'moat.local',
    outboxDir: '.tmp/outbox',
    smtp: { host: '', port: 587, secure: false },
    render: { ...DEFAULT_RENDER_SETTINGS },
    queue: 'local',
    redisUrl: 'redis://127.0.0.1:6379',
    queuePrefix: 'moat',
    workers: true,
    publicUrl: 'http://localhost:1337',
    tokenSecret: '',
    delivery: { ...DEFAULT_DELIVERY },
  }),
  /** Checked at boot: a wrong transport setting stops the start with a clear message. */
  validator(config: LifecycleEmailConfig) {
    if (config.transport !== 'outbox' && config.transport !== 'smtp') {
      throw new Error(`lifecycle-email: transport must be "outbox" or "smtp", got "${config.transport}" (MOAT_EMAIL_TRANSPORT)`);
    }
    if (config.transport === 'smtp' && !config.smtp?.host) {
      throw new Error('lifecycle-email: transport "smtp" needs SMTP_HOST');
    }
    if (config.queue !== 'local' && config.queue !== 'bullmq') {
      throw new Error(`lifecycle-email: queue must be "local" or "bullmq", got "${config.queue}" (MOAT_QUEUE)`);
    }
    if (config.publicUrl && !/^https?:\/\/[^/]+/.test(config.publicUrl)) throw new Error(`lifecycle-email: publicUrl must be an http(s) URL, got "${config.publicUrl}" (MOAT_PUBLIC_URL)`);
    for (const [k, v] of Object.entries(config.delivery ?? {})) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`lifecycle-email: delivery.${k} must be a number ≥ 0, got ${v}`);
    }
    const problems = renderSettingsProblems(config.render);
    if (problems.length > 0) throw new Error(`lifecycle-email: ${problems.join('; ')}`);
  },
};
