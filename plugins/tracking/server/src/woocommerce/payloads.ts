/**
 * The parts of WooCommerce's webhook payloads Moat uses. A webhook's body is the REST API
 * resource (`/wc/v3/orders/<id>`, `/wc/v3/customers/<id>`) at delivery time; everything else
 * in it is ignored. Structure is strict (a 400 names the field); values that only describe a
 * person are lenient: a malformed email is dropped, not a reason to lose the order.
 */
import { z } from 'zod';

/** REST v3 money: a decimal string ("29.35"); line item prices are JSON numbers. */
const money = z.union([z.number().finite(), z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal amount')]).transform(Number);
/** `*_gmt` dates: "2026-11-20T10:00:00" without an offset, in UTC; null when unset (then: now). */
const gmtDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'must be YYYY-MM-DDTHH:MM:SS (GMT)')
  .nullable()
  .optional()
  .transform((value) => {
    const ms = value ? Date.parse(`${value}Z`) : Number.NaN;
    return Number.isFinite(ms) ? ms : undefined;
  });
const text = (max: number) =>
  z
    .string()
    .nullable()
    .optional()
    .transform((value) => value?.trim().slice(0, max) || undefined);
/**
 * Plain ASCII addresses (dot-atoms, a letters-only top-level domain): a subset of what the
 * CRM's email field accepts, so an address that passes here never fails the CRM write (that
 * would fail every retry and get the webhook disabled). Anything odder is left out and the
 * order kept (it still reaches a registered customer through the customer id).
 */
const ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+";
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const EMAIL = new RegExp(`^${ATOM}(?:\\.${ATOM})*@(?:${LABEL}\\.)+[a-z]{2,63}$`);
const email = z
  .string()
  .nullable()
  .optional()
  .transform((value) => {
    const trimmed = value?.trim().toLowerCase();
    return trimmed && trimmed.length <= 254 && EMAIL.test(trimmed) ? trimmed : undefined;
  });
const wooId = z.number().int().nonnegative();

const address = z
  .object({
    first_name: text(128),
    last_name: text(128),
    company: text(255),
    email,
    phone: text(64),
    country: text(2),
  })
  .partial();

const lineItem = z.object({
  id: wooId.optional(),
  name: z.string().transform((name) => name.slice(0, 512)),
  product_id: wooId.nullable().optional(),
  variation_id: wooId.nullable().optional(),
  quantity: z.number().finite(),
  sku: text(128),
  price: money.nullable().optional(),
  total: money.optional(),
});

export const wooOrderSchema = z.object({
  id: wooId.refine((id) => id > 0, 'must be a positive order id'),
  number: z.union([z.string().max(64), z.number().int()]).optional(),
  status: z.string().regex(/^[a-z0-9_-]{1,64}$/, 'must be an order status like "processing"'),
  // ISO 4217 in core; currency plugins add others (USDT), so any short code
  currency: z
    .string()
    .regex(/^[A-Za-z0-9]{2,10}$/, 'must be a currency code like "USD"')
    .transform((code) => code.toUpperCase()),
  total: money,
  total_tax: money.optional(),
  shipping_total: money.optional(),
  discount_total: money.optional(),
  customer_id: wooId.optional(),
  billing: address.nullable().optional(),
  payment_method: z.string().max(128).nullable().optional(),
  created_via: z.string().max(64).nullable().optional(),
  date_created_gmt: gmtDate,
  date_modified_gmt: gmtDate,
  date_completed_gmt: gmtDate,
  line_items: z.array(lineItem).max(5000),
});
export type WooOrder = z.infer<typeof wooOrderSchema>;

export const wooCustomerSchema = z.object({
  id: wooId.refine((id) => id > 0, 'must be a positive customer id'),
  email,
  first_name: text(128),
  last_name: text(128),
  billing: address.nullable().optional(),
  date_created_gmt: gmtDate,
});
export type WooCustomer = z.infer<typeof wooCustomerSchema>;

/** The headers every delivery carries (`WC_Webhook::deliver`), named as sent so a 400 names the header. */
export const wooHeadersSchema = z.object({
  'X-WC-Webhook-Topic': z.string({ error: 'is required' }).regex(/^[a-z_]+\.[a-z_]+$/, 'must look like "order.created"'),
  'X-WC-Webhook-Delivery-ID': z.string({ error: 'is required' }).regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1-128 letters, digits, "-" or "_"'),
  'X-WC-Webhook-ID': z.string().regex(/^\d{1,20}$/, 'must be a number').optional(),
});

/** What a delivery means to Moat, by topic; anything else is acknowledged and ignored. */
export type WooEvent =
  | { kind: 'order'; topic: string; order: WooOrder }
  | { kind: 'customer'; topic: string; customer: WooCustomer }
  | { kind: 'ignored'; topic: string };

export const ORDER_TOPICS = ['order.created', 'order.updated'];
export const CUSTOMER_TOPICS = ['customer.created', 'customer.updated'];

/** Validates the body for its topic; the zod error names the field. */
export function parseWooEvent(topic: string, body: unknown): { event: WooEvent } | { error: z.ZodError } {
  if (ORDER_TOPICS.includes(topic)) {
    const parsed = wooOrderSchema.safeParse(body);
    return parsed.success ? { event: { kind: 'order', topic, order: parsed.data } } : { error: parsed.error };
  }
  if (CUSTOMER_TOPICS.includes(topic)) {
    const parsed = wooCustomerSchema.safeParse(body);
    return parsed.success ? { event: { kind: 'customer', topic, customer: parsed.data } } : { error: parsed.error };
  }
  // products, coupons, deletions: answered 200 so WooCommerce keeps the webhook active
  return { event: { kind: 'ignored', topic } };
}
