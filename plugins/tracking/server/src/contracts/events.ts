/**
 * The touchpoint event contract, shared by the browser tracker (types only: the tracker
 * bundle must stay tiny and never imports zod at runtime), the collect endpoint, the
 * server-side touchpoint API and the tests. Change it here and everything follows.
 */
import { z } from 'zod';

/** Limits of the public collect endpoint (documented in README). */
export const COLLECT_LIMITS = {
  maxBodyBytes: 64 * 1024,
  maxEvents: 50,
  maxStringLength: 2048,
  maxPropKeys: 40,
  maxPropDepth: 3,
} as const;

// the type lists are cross-plugin: one definition in @moat/contracts
import { BROWSER_EVENT_TYPES, TOUCHPOINT_TYPES } from '@moat/contracts';
export { BROWSER_EVENT_TYPES, TOUCHPOINT_TYPES };
export type { BrowserEventType, TouchpointType } from '@moat/contracts';

const shortString = z.string().max(COLLECT_LIMITS.maxStringLength);
/** Ids minted by clients: visitor ids, event ids. */
const clientId = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'only letters, digits, "-" and "_"');

/** JSON property values, bounded in depth and size so one event cannot blow up memory. */
type PropValue = string | number | boolean | null | PropValue[] | { [k: string]: PropValue };
const propValue = (depth: number): z.ZodType<PropValue> =>
  depth <= 0
    ? z.union([shortString, z.number().finite(), z.boolean(), z.null()])
    : z.union([
        shortString,
        z.number().finite(),
        z.boolean(),
        z.null(),
        z.array(z.lazy(() => propValue(depth - 1))).max(50),
        z.record(z.string().max(64), z.lazy(() => propValue(depth - 1))).refine(
          (o) => Object.keys(o).length <= COLLECT_LIMITS.maxPropKeys,
          `at most ${COLLECT_LIMITS.maxPropKeys} keys per object`,
        ),
      ]);

export const propsSchema = z
  .record(z.string().max(64), propValue(COLLECT_LIMITS.maxPropDepth))
  .refine((o) => Object.keys(o).length <= COLLECT_LIMITS.maxPropKeys, {
    message: `at most ${COLLECT_LIMITS.maxPropKeys} properties`,
  });

/**
 * Who an identify call names. Checked at the edge: a customer_id sent as an object once
 * became the external id "[object Object]" that unrelated visitors were merged into.
 */
export const identifyPropsSchema = z.object({
  email: z.string().max(254).optional(),
  customer_id: z.union([z.string().min(1).max(128), z.number().int().nonnegative()]).optional(),
  name: z.string().max(256).optional(),
  phone: z.string().max(64).optional(),
  company: z.string().max(256).optional(),
});
/** A form's fields are flat text (the tracker sends strings); nothing nested, nothing typed as an object. */
const formFieldsSchema = z.record(z.string().max(64), z.union([shortString, z.number().finite(), z.boolean(), z.null()]));

/** One event as the browser tracker sends it. */
export const browserEventSchema = z.object({
  /** client-minted id; the server dedupes on (visitor, id) */
  id: clientId,
  type: z.enum(BROWSER_EVENT_TYPES),
  /** epoch milliseconds on the visitor's clock */
  ts: z.number().int().positive(),
  url: z.string().max(COLLECT_LIMITS.maxStringLength).optional(),
  referrer: z.string().max(COLLECT_LIMITS.maxStringLength).optional(),
  title: z.string().max(512).optional(),
  props: propsSchema.optional(),
}).superRefine((event, ctx) => {
  // typed props where they name a person: wrong types are the client's mistake (400), not a customer
  if (event.type === 'identify' && event.props) {
    const result = identifyPropsSchema.safeParse(event.props);
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ ...issue, path: ['props', ...issue.path] } as never);
  }
  if (event.type === 'form_submit' && event.props?.fields !== undefined) {
    const result = formFieldsSchema.safeParse(event.props.fields);
    for (const issue of result.error?.issues ?? []) ctx.addIssue({ ...issue, path: ['props', 'fields', ...issue.path] } as never);
  }
});
export type BrowserEvent = z.infer<typeof browserEventSchema>;

/** Body of POST /moat/collect (sent as text/plain or application/json). */
export const collectBatchSchema = z.object({
  /** public site key; maps to the allowed origins */
  site: z.string().min(4).max(64).regex(/^[A-Za-z0-9_-]+$/),
  /** first-party visitor id kept by the tracker */
  visitor: clientId,
  /** the visitor's clock when the batch left: the server corrects event times for skew */
  sent: z.number().int().positive().optional(),
  /** visitor context, sent once per batch */
  ctx: z
    .object({
      tz: z.string().max(64).optional(),
      lang: z.string().max(35).optional(),
      screen: z.string().max(32).optional(),
    })
    .optional(),
  events: z.array(browserEventSchema).min(1).max(COLLECT_LIMITS.maxEvents),
});
export type CollectBatch = z.infer<typeof collectBatchSchema>;

/**
 * Well-known property shapes (documentation for the tracker and the timeline; the server
 * stores props as given).
 * - page_view: { path, utm_source?, utm_medium?, utm_campaign?, utm_term?, utm_content? }
 * - engagement: { engaged_ms, scroll_pct }
 * - form_submit: { form: 'contact'|'newsletter'|'inquiry'|'other', fields: { email?, name?, phone?, company?, message? }, product? }
 * - product_view: { product: { id?, handle?, title?, price?, currency? } }
 * - cart_add / cart_update / cart_remove / cart_clear: { items: [{ variant_id?, product_id?, quantity, line? }], cart_total?, currency? }
 * - identify: { email?, customer_id?, name?, phone?, company? }
 * - custom: { event: string, ... }
 */
export const identifyTraitsSchema = z.object({
  email: z.string().email().max(254).optional(),
  customer_id: z.string().max(128).optional(),
  name: z.string().max(256).optional(),
  phone: z.string().max(64).optional(),
  company: z.string().max(256).optional(),
  country: z.string().max(64).optional(),
});
export type IdentifyTraits = z.infer<typeof identifyTraitsSchema>;

/** ISO 3166-1 alpha-2 (either case; stored upper case) and ISO 4217 codes, for the server-side API. */
export const COUNTRY_CODE = /^[A-Za-z]{2}$/;
export const CURRENCY_CODE = /^[A-Z]{3}$/;
/**
 * Server-side API (`/api/tracking/v1/track`, `/identify`, `/batch`) top-level fields that say
 * where a touchpoint came from and what it was worth, and where they are stored:
 * country (or ip → geoip) → `country`; source → `source`; medium → `source_channel` and
 * `properties.utm_medium`; campaign → `properties.utm_campaign`; referrer → `properties.referrer`;
 * value + currency → `properties.value` / `properties.currency`; site, device → their columns.
 */
export const SERVER_ORIGIN_FIELDS = ['country', 'ip', 'source', 'medium', 'campaign', 'referrer', 'site', 'device'] as const;
