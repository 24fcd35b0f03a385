import { z } from 'zod';
import { COUNTRY_CODE, CURRENCY_CODE, propsSchema, TOUCHPOINT_TYPES } from '../contracts/events';

/**
 * Segment-style server-side calls, so WhatsApp, Messenger, live chat, email replies or an ERP
 * land on the same timeline under their own channel name. `messageId` makes retries safe.
 */
const channel = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,31}$/, 'a lowercase channel name such as "whatsapp" or "erp"');
const messageId = z.string().min(1).max(128);
/**
 * When it happened: ISO 8601 with offset, or epoch milliseconds. A time before 2000 or more
 * than a day ahead of this server's clock is a unit mistake (seconds for milliseconds) or a
 * broken clock, and would sort the timeline wrongly for ever: refused with a 400.
 */
export const TIMESTAMP_WINDOW = { earliest: Date.UTC(2000, 0, 1), aheadMs: 24 * 60 * 60 * 1000 } as const;
const timestamp = z
  .union([z.iso.datetime({ offset: true }), z.number().int().positive()])
  .refine(
    (ts) => {
      const ms = typeof ts === 'number' ? ts : Date.parse(ts);
      return ms >= TIMESTAMP_WINDOW.earliest && ms <= Date.now() + TIMESTAMP_WINDOW.aheadMs;
    },
    { message: 'must be between 2000-01-01 and one day after now (epoch milliseconds, or ISO 8601 with an offset)' },
  );
const who = {
  /** your system's customer id (becomes the CRM customer's externalId) */
  userId: z.string().min(1).max(128).optional(),
  email: z.string().email().max(254).optional(),
  /** the tracker's visitor id, to join a browser visitor */
  anonymousId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
};

/**
 * Where a server-side touchpoint came from, first-class so WhatsApp, an ERP or imported
 * history land in the funnel, attribution and seasonality like storefront events: the
 * country (or the buyer's IP to derive it; the IP is never stored), the acquisition source,
 * medium and campaign (stored as the storefront stores them: `source`, `source_channel` and
 * `utm_*` properties), the referrer, the site and the device.
 */
const origin = {
  country: z.string().regex(COUNTRY_CODE, 'an ISO 3166-1 alpha-2 country code such as "DE"').transform((c) => c.toUpperCase()).optional(),
  ip: z.union([z.ipv4(), z.ipv6()], { error: 'an IPv4 or IPv6 address' }).optional(),
  source: z.string().trim().min(1).max(128).optional(),
  medium: z.string().trim().min(1).max(24).optional(),
  campaign: z.string().trim().min(1).max(128).optional(),
  referrer: z.string().max(2048).optional(),
  site: z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, 'a site key').optional(),
  device: z.enum(['desktop', 'mobile', 'tablet']).optional(),
};
const money = {
  /** what it was worth (orders, won deals): counted as revenue */
  value: z.number().finite().min(0).max(1e12).optional(),
  currency: z.string().regex(CURRENCY_CODE, 'a 3-letter ISO 4217 code such as "USD"').optional(),
};

export const trackSchema = z
  .object({
    messageId,
    channel,
    /** a touchpoint type, or `event` for a named custom event */
    type: z.enum(TOUCHPOINT_TYPES).optional(),
    event: z.string().min(1).max(64).optional(),
    timestamp: timestamp.optional(),
    url: z.string().max(2048).optional(),
    properties: propsSchema.optional(),
    ...who,
    ...origin,
    ...money,
  })
  // unknown top-level fields are a 400 naming them: a dropped `country` once went unnoticed
  .strict()
  .refine((t) => t.value === undefined || t.currency !== undefined, { message: 'a value needs its currency', path: ['currency'] })
  .refine((t) => t.type || t.event, { message: 'give a "type" (touchpoint type) or an "event" name', path: ['type'] })
  .refine((t) => t.userId || t.email || t.anonymousId, {
    message: 'say who it was: userId, email or anonymousId',
    path: ['userId'],
  });

export const identifySchema = z
  .object({
    messageId: messageId.optional(),
    channel,
    timestamp: timestamp.optional(),
    traits: z
      .object({
        email: z.string().email().max(254).optional(),
        name: z.string().max(256).optional(),
        phone: z.string().max(64).optional(),
        company: z.string().max(256).optional(),
        /** ISO 3166-1 alpha-2; phone and country are checked by the CRM (400 with field errors) */
        country: z.string().max(64).optional(),
      })
      .strict()
      .default({}),
    /** more about the person or the lead (form, product asked about, language, ...) */
    properties: propsSchema.optional(),
    ...who,
    ...origin,
  })
  .strict()
  .refine((t) => t.userId || t.email || t.traits.email, {
    message: 'identify needs userId or an email',
    path: ['userId'],
  });

export const batchSchema = z.object({
  batch: z
    .array(
      z.union([
        z.object({ action: z.literal('track') }).passthrough(),
        z.object({ action: z.literal('identify') }).passthrough(),
      ]),
    )
    .min(1)
    .max(100),
});

export const timelineQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(100).optional(),
  type: z.string().max(500).optional(),
  channel: z.string().max(500).optional(),
});

export type TrackCall = z.infer<typeof trackSchema>;
export type IdentifyCall = z.infer<typeof identifySchema>;
