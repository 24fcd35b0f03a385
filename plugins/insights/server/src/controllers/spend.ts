import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { z } from 'zod';
import { SPEND_LIMITS, SpendFileError } from '../services/spend';
import { getService } from '../utils/get-service';

type StrapiCtx = Context & { badRequest(message: string): void };

/** `{ csv: "..." }` (admin upload, or an API client with a file) or `{ rows: [...] }` (API). */
const bodySchema = z.union([
  z.object({ csv: z.string().min(1, 'the file is empty') }).strict(),
  z.object({ rows: z.array(z.record(z.string(), z.unknown())).min(1).max(SPEND_LIMITS.maxRows) }).strict(),
]);

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async upload(ctx: StrapiCtx) {
    const parsed = bodySchema.safeParse((ctx.request as { body?: unknown }).body);
    if (!parsed.success) return ctx.badRequest(`send { "csv": "<file text>" } or { "rows": [...] } with columns date, source, medium, campaign, impressions, clicks, spend, currency (${parsed.error.issues[0]?.message})`);
    const spend = getService(strapi, 'spend');
    try {
      // rows: line numbers count the rows from 1, as a file's would after its header
      ctx.body = 'csv' in parsed.data ? await spend.importCsv(parsed.data.csv) : await spend.importRows(parsed.data.rows.map((row, i) => ({ line: i + 1, row })));
    } catch (error) {
      if (error instanceof SpendFileError) return ctx.badRequest(error.message);
      throw error;
    }
  },
});
