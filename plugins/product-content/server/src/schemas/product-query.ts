import { z } from 'zod';

/** Product keys: a Shopify handle or GID (gid://shopify/Product/1), a SKU or a slug. */
export const productKeySchema = z
  .string()
  .min(1, 'product key is empty')
  .max(255, 'product key is longer than 255 characters')
  .regex(/^[A-Za-z0-9._:/-]+$/, 'product key may contain only letters, digits and . _ : / -');

/** BCP 47-ish tag as Strapi i18n uses them (en, zh-Hans, pt-BR). */
const localeSchema = z
  .string()
  .max(35, 'locale is longer than 35 characters')
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale must look like "en", "de" or "zh-Hans"');

/** The read API accepts exactly these query parameters; anything else is a client mistake. */
export const productQuerySchema = z.strictObject({ locale: localeSchema.optional() });

export type ProductQuery = z.infer<typeof productQuerySchema>;

/** Formats zod issues as one readable sentence for a 400 body. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return `unknown query parameter(s): ${i.keys.join(', ')} (allowed: locale)`;
      const where = i.path.length > 0 ? `${i.path.join('.')}: ` : '';
      return `${where}${i.message}`;
    })
    .join('; ');
}
