/**
 * Settings of the CRM's follow-up cadence, public pool, tiers, scores and quotes (config/plugins.ts
 * → crm.config). Every key has a default; the validator refuses nonsense at boot, naming the key.
 */
import { z } from 'zod';

const FREE_MAILBOXES = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'ymail.com', 'hotmail.com', 'hotmail.co.uk', 'hotmail.fr',
  'outlook.com', 'live.com', 'msn.com', 'aol.com', 'icloud.com', 'me.com', 'mac.com', 'proton.me', 'protonmail.com', 'gmx.de',
  'gmx.net', 'gmx.com', 'web.de', 't-online.de', 'mail.ru', 'yandex.ru', 'yandex.com', 'qq.com', '163.com', '126.com', 'sina.com',
  'foxmail.com', 'naver.com', 'daum.net', 'orange.fr', 'free.fr', 'laposte.net', 'libero.it', 'zoho.com', 'mail.com', 'rediffmail.com',
];

const weekday = z.number().int().min(0).max(6);
const positive = z.number().finite().positive();

export const engageConfigSchema = z.object({
  cadence: z
    .object({
      enabled: z.boolean().default(true),
      /** calendar days after the inquiry arrives; a day that is not a working day moves to the next one */
      days: z.array(z.number().int().min(0).max(90)).min(1).max(20).default([1, 3, 7]),
      /** 0 = Sunday … 6 = Saturday */
      workingDays: z.array(weekday).min(1).max(7).default([1, 2, 3, 4, 5]),
      timeOfDay: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('10:00'),
      timeZone: z
        .string()
        .refine((tz) => {
          try {
            new Intl.DateTimeFormat('en-US', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        }, 'an IANA time zone such as Asia/Shanghai')
        .default('UTC'),
    })
    .prefault({}),
  pool: z
    .object({
      enabled: z.boolean().default(true),
      /** owned customers and inquiries without a logged follow-up for this many days return to the pool */
      releaseAfterDays: positive.max(365).default(7),
      /** cron rule of the release job */
      cron: z.string().min(9).max(64).default('*/5 * * * *'),
    })
    .prefault({}),
  scoring: z
    .object({
      enabled: z.boolean().default(true),
      halfLifeDays: positive.max(3650).default(14),
      /** touchpoints older than this are not read at all (their weight is negligible) */
      windowDays: positive.max(3650).default(180),
      /** a customer's touchpoints arriving within this window are scored once */
      debounceMs: z.number().int().min(0).max(600_000).default(2000),
      weights: z.record(z.string().max(32), z.number().finite().min(0).max(1000)).default({}),
      /** page paths that count as pricing / quote pages */
      pricingPaths: z.array(z.string().min(1).max(64)).max(50).default(['pricing', 'price', 'quote', 'rfq', 'wholesale']),
      grades: z
        .object({ A: z.number().min(0), B: z.number().min(0), C: z.number().min(0) })
        .refine((g) => g.A > g.B && g.B > g.C, 'A > B > C')
        .default({ A: 60, B: 30, C: 10 }),
    })
    .prefault({}),
  tiers: z
    .object({
      freeMailDomains: z.array(z.string().min(3).max(253)).max(5000).default(FREE_MAILBOXES),
      bigBQuantity: positive.default(1000),
      smallBQuantity: positive.default(50),
      bigBOrderValue: positive.default(20000),
      smallBOrderValue: positive.default(2000),
      repeatOrders: z.number().int().min(2).default(3),
    })
    .refine((t) => t.bigBQuantity > t.smallBQuantity, 'bigBQuantity > smallBQuantity')
    .refine((t) => t.bigBOrderValue > t.smallBOrderValue, 'bigBOrderValue > smallBOrderValue')
    .prefault({}),
  quotes: z
    .object({
      /** where quotation files are kept (never under public/) */
      dir: z.string().min(1).default('.tmp/quotes'),
      maxBytes: z.number().int().positive().max(100 * 1024 * 1024).default(20 * 1024 * 1024),
      /** the public origin buyers open links on (default: Strapi's server.url) */
      publicUrl: z.string().max(512).default(''),
      /** opens per IP per minute */
      ratePerMinute: z.number().int().positive().max(10_000).default(30),
    })
    .prefault({}),
});

export type EngageConfig = z.infer<typeof engageConfigSchema>;

/** The default touchpoint weights (points a fresh touchpoint is worth); docs/scoring.md. */
export const DEFAULT_WEIGHTS: Record<string, number> = {
  page_view: 1,
  pricing_view: 5,
  product_view: 3,
  cart: 5,
  checkout_started: 8,
  form_submit: 10,
  inquiry_created: 15,
  email_opened: 1,
  email_clicked: 3,
  message_received: 8,
  quote_opened: 10,
  order_placed: 20,
};

export function parseEngageConfig(raw: unknown): EngageConfig {
  const parsed = engageConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`crm config ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

type StrapiLike = { config: { get(path: string): unknown } };
let cache: { raw: unknown; json: string; parsed: EngageConfig } | null = null;

/** The validated settings, read at each use so tests (and a config reload) can change them at runtime. */
export function engageConfig(strapi: StrapiLike): EngageConfig {
  const raw = strapi.config.get('plugin::crm') ?? {};
  const json = JSON.stringify(raw);
  if (cache?.raw === raw && cache.json === json) return cache.parsed;
  cache = { raw, json, parsed: parseEngageConfig(raw) };
  return cache.parsed;
}
