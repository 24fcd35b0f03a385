import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { z } from 'zod';
import { getService } from '../utils/get-service';

const previewBody = z.object({
  subject: z.string().max(300),
  preheader: z.string().max(300).nullish(),
  mjml: z.string().min(1, 'mjml is empty').max(500_000),
  textOverride: z.string().max(200_000).nullish(),
  data: z.record(z.string(), z.unknown()).default({}),
  /** a CRM customer whose data replaces `data.customer` (needs preview.customer; see the customer-data policy) */
  customerId: z.string().min(1).max(64).nullish(),
});

const sendTestBody = z.object({
  documentId: z.string().min(1).max(64),
  locale: z.string().min(2).max(35),
  to: z.string().email('to must be an email address').max(254),
  customerId: z.string().min(1).max(64).nullish(),
});

const customerQuery = z.object({ q: z.string().max(100, 'q is longer than 100 characters').default('') });

const invalid = (error: z.ZodError) => new errors.ValidationError(error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /lifecycle-email/preview — renders unsaved values (with sample data or a CRM customer's); MJML errors, missing variables and foreign placeholders come back in the body. */
  async render(ctx: Context) {
    const parsed = previewBody.safeParse((ctx.request as { body?: unknown }).body);
    if (!parsed.success) throw invalid(parsed.error);
    const { customerId, ...input } = parsed.data;
    const data = customerId ? await getService(strapi, 'previewCustomers').dataFor(customerId, input.data) : input.data;
    ctx.body = await getService(strapi, 'templates').preview({ ...input, data });
  },

  /** POST /lifecycle-email/send-test — sends a saved template with its sample data (or a CRM customer's) to one address. */
  async sendTest(ctx: Context) {
    const parsed = sendTestBody.safeParse((ctx.request as { body?: unknown }).body);
    if (!parsed.success) throw invalid(parsed.error);
    const { documentId, locale, to, customerId } = parsed.data;
    ctx.body = await getService(strapi, 'mailer').sendTest(documentId, locale, to, customerId);
  },

  /** GET /lifecycle-email/preview-customers?q= — CRM customers for the preview's customer picker. */
  async customers(ctx: Context) {
    const parsed = customerQuery.safeParse(ctx.query);
    if (!parsed.success) throw invalid(parsed.error);
    ctx.body = { results: await getService(strapi, 'previewCustomers').search(parsed.data.q) };
  },
});
