import { z } from 'zod';

/**
 * The parts of Shopify's REST resource payloads (webhook bodies) this plugin reads. Unknown
 * fields pass; a payload missing what a handler needs is a 400 naming the field.
 */
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);
const text = (max = 255) => z.string().nullish().transform((v) => (v == null ? undefined : v.slice(0, max)));
const time = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (v == null) return undefined;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${v.slice(0, 40)}` });
      return z.NEVER;
    }
    return ms;
  });
const money = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null || v === '' ? undefined : String(v)));

export const productSchema = z.object({
  id,
  title: text(),
  handle: text(),
  status: text(16),
  vendor: text(),
  product_type: text(),
  updated_at: time,
  created_at: time,
  variants: z
    .array(
      z.object({
        id,
        title: text(),
        sku: text(),
        price: money,
        compare_at_price: money,
        inventory_quantity: z.number().nullish(),
      }),
    )
    .max(2048)
    .default([]),
  images: z
    .array(z.object({ id: id.optional(), src: text(2048), alt: text(512), width: z.number().nullish(), height: z.number().nullish() }))
    .max(512)
    .default([]),
});
export type ShopifyProduct = z.infer<typeof productSchema>;

export const deletedSchema = z.object({ id });

const address = z.object({ company: text(), phone: text(64), first_name: text(), last_name: text() }).partial().nullish();

export const customerSchema = z.object({
  id,
  email: text(254),
  first_name: text(),
  last_name: text(),
  phone: text(64),
  created_at: time,
  updated_at: time,
  default_address: address,
});
export type ShopifyCustomer = z.infer<typeof customerSchema>;

/** what orders' and checkouts' line items share */
const lineItem = { title: text(), sku: text(), quantity: z.number().int(), price: money, product_id: id.nullish(), variant_id: id.nullish() };

export const orderSchema = z.object({
  id,
  name: text(64),
  order_number: z.union([z.number(), z.string()]).nullish(),
  email: text(254),
  created_at: time,
  processed_at: time,
  updated_at: time,
  cancelled_at: time,
  financial_status: text(32),
  fulfillment_status: text(32),
  total_price: money,
  subtotal_price: money,
  total_tax: money,
  currency: text(8),
  /** the checkout the order came from: completes its abandoned-checkout clock */
  checkout_token: text(64),
  customer: customerSchema.partial().extend({ id }).nullish(),
  billing_address: address,
  line_items: z
    .array(
      z.object({ ...lineItem, name: text() }),
    )
    .max(2048)
    .default([]),
});
export type ShopifyOrder = z.infer<typeof orderSchema>;

/** checkouts/create and checkouts/update: the REST Checkout (abandoned checkout) resource */
export const checkoutSchema = z.object({
  id: id.nullish(),
  token: z.string().min(1).max(64),
  email: text(254),
  created_at: time,
  updated_at: time,
  completed_at: time,
  currency: text(8),
  total_price: money,
  abandoned_checkout_url: text(2048),
  customer: customerSchema.partial().extend({ id }).nullish(),
  line_items: z
    .array(
      z.object({ ...lineItem, variant_title: text() }),
    )
    .max(2048)
    .default([]),
});
export type ShopifyCheckout = z.infer<typeof checkoutSchema>;

/** fulfillments/create and fulfillments/update: the REST Fulfillment resource */
export const fulfillmentSchema = z.object({
  id,
  order_id: id,
  name: text(64),
  status: text(32).transform((v) => v ?? 'success'),
  email: text(254),
  created_at: time,
  updated_at: time,
  tracking_company: text(),
  tracking_number: text(),
  tracking_numbers: z.array(z.string().max(255)).max(64).nullish(),
  tracking_url: text(2048),
  tracking_urls: z.array(z.string().max(2048)).max(64).nullish(),
  destination: address,
  line_items: z
    .array(
      z.object({
        title: text(),
        name: text(),
        quantity: z.number().int(),
        price: money,
        price_set: z.object({ shop_money: z.object({ currency_code: text(8) }).partial().nullish() }).partial().nullish(),
      }),
    )
    .max(2048)
    .default([]),
});
export type ShopifyFulfillment = z.infer<typeof fulfillmentSchema>;

/** customers/email_marketing_consent_update (recent API versions no longer put it in customer payloads) */
export const consentSchema = z.object({
  customer_id: id,
  email_address: text(254),
  email_marketing_consent: z.object({
    state: z.string().max(32),
    opt_in_level: text(32),
    consent_updated_at: time,
  }),
});
export type ShopifyConsent = z.infer<typeof consentSchema>;

/** customers/data_request and customers/redact (compliance topics) */
export const privacyRequestSchema = z.object({
  shop_domain: text(128),
  customer: z.object({ id, email: text(254), phone: text(64) }),
  orders_requested: z.array(id).max(10_000).nullish(),
  orders_to_redact: z.array(id).max(10_000).nullish(),
  data_request: z.object({ id }).nullish(),
});
export type ShopifyPrivacyRequest = z.infer<typeof privacyRequestSchema>;
