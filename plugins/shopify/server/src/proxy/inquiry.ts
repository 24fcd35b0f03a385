import { z } from 'zod';

export const UNITS = ['pieces', 'sets', 'cartons', 'pallets', 'kg', 'tons', 'meters', 'containers'] as const;
export const INCOTERMS = ['EXW', 'FCA', 'FAS', 'FOB', 'CFR', 'CIF', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP'] as const;

const optionalText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .optional()
    .transform((v) => v?.trim() || undefined);
const digits = z
  .string()
  .regex(/^\d{0,20}$/, 'digits only')
  .optional()
  .transform((v) => v || undefined);
const number = (min: number, max: number, int = false) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
        ctx.addIssue({ code: 'custom', message: `must be ${int ? 'a whole number' : 'a number'} from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

/** The RFQ block's form fields (theme-extension/blocks/inquiry-form.liquid), all strings as posted. */
export const inquiryFormSchema = z.object({
  email: z.string().trim().max(254).email('must be an email address'),
  name: optionalText(255),
  company: optionalText(255),
  phone: optionalText(64),
  message: optionalText(5000),
  product_id: digits,
  product_handle: optionalText(255),
  product_title: optionalText(255),
  variant_id: digits,
  quantity: number(1, 1_000_000_000, true),
  unit: z.enum(UNITS).optional(),
  target_price: number(0, 1_000_000_000_000),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a 3-letter currency code')
    .optional(),
  incoterm: z
    .union([z.enum(INCOTERMS), z.literal('')])
    .optional()
    .transform((v) => v || undefined),
  locale: optionalText(35),
  page_url: optionalText(2048),
  visitor_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,64}$/, 'letters, digits, "-" and "_"')
    .optional()
    .transform((v) => v || undefined),
  /** the honeypot: people never see it */
  website: z.string().max(2048).optional(),
});
export type InquiryForm = z.infer<typeof inquiryFormSchema>;
