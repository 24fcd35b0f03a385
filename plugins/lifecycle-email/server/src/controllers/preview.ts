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
});

const sendTestBody = z.object({
  documentId: z.string().min(1).max(64),
  locale: z.string().min(2).max(35),
  to: z.string().email('to must be an email address').max(254),
});

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /lifecycle-email/preview — renders unsaved values; MJML errors and missing variables come back in the body. */
  async render(ctx: Context) {
    const parsed = previewBody.safeParse((ctx.request as { body?: unknown }).body);
    if (!parsed.success) throw new errors.ValidationError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    ctx.body = await getService(strapi, 'templates').preview(parsed.data);
  },

  /** POST /lifecycle-email/send-test — sends a saved template with its sample data to one address. */
  async sendTest(ctx: Context) {
    const parsed = sendTestBody.safeParse((ctx.request as { body?: unknown }).body);
    if (!parsed.success) throw new errors.ValidationError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { documentId, locale, to } = parsed.data;
    ctx.body = await getService(strapi, 'mailer').sendTest(documentId, locale, to);
  },
});
