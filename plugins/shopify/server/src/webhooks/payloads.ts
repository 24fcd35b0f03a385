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
  customer: customerSchema.partial().extend({ id }).nullish(),
  billing_address: address,
  line_items: z
    .array(
      z.object({
        title: text(),
        name: text(),
        sku: text(),
        quantity: z.number().int(),
        price: money,
        product_id: id.nullish(),
        variant_id: id.nullish(),
      }),
    )
    .max(2048)
    .default([]),
});
export type ShopifyOrder = z.infer<typeof orderSchema>;
