import type { Core } from '@strapi/strapi';
import { parse } from 'csv-parse/sync';
import type { Knex } from 'knex';
import { z } from 'zod';
import { SPEND_TABLE } from '../utils/constants';
import { dayFromIso } from '../utils/days';

/** Bounds of one upload (README "Insights"). */
export const SPEND_LIMITS = { maxBytes: 2 * 1024 * 1024, maxRows: 20_000 } as const;
export const SPEND_COLUMNS = ['date', 'source', 'medium', 'campaign', 'impressions', 'clicks', 'spend', 'currency'] as const;

const count = z.coerce.number().int().min(0).max(1e12);
export const spendRowSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date'),
  source: z.string().trim().min(1, 'source is empty').max(128),
  medium: z.string().trim().max(24).default(''),
  campaign: z.string().trim().max(128).default(''),
  impressions: count,
  clicks: count,
  spend: z.coerce.number().finite().min(0).max(1e12),
  currency: z.string().trim().regex(/^[A-Z]{3}$/, 'a 3-letter currency code such as USD'),
}).strict();
export type SpendRow = z.infer<typeof spendRowSchema>;
export interface RowError { line: number; message: string }

const describe = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');

/** Ad spend per source / medium / campaign and day: upserted, so a corrected file replaces its rows. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;

  async function store(rows: SpendRow[]) {
    const values = rows.map((r) => ({ day: dayFromIso(r.date), source: r.source, medium: r.medium, campaign: r.campaign, impressions: r.impressions, clicks: r.clicks, spend: r.spend, currency: r.currency }));
    await knex().transaction(async (trx) => {
      for (let i = 0; i < values.length; i += 200) {
        await trx(SPEND_TABLE).insert(values.slice(i, i + 200)).onConflict(['day', 'source', 'medium', 'campaign']).merge();
      }
    });
  }

  return {
    /** Imports the good rows; each bad one is reported with its line (1 = the header). */
    async importRows(input: { line: number; row: unknown }[]): Promise<{ imported: number; errors: RowError[] }> {
      const good: SpendRow[] = [];
      const errors: RowError[] = [];
      for (const { line, row } of input) {
        const parsed = spendRowSchema.safeParse(row);
        if (parsed.success) good.push(parsed.data);
        else errors.push({ line, message: describe(parsed.error) });
      }
      if (good.length > 0) await store(good);
      return { imported: good.length, errors };
    },

    /**
     * Parses a CSV with the header `date,source,medium,campaign,impressions,clicks,spend,currency`.
     * @throws Error with a message for the client when the file itself is unusable
     */
    async importCsv(text: string) {
      if (Buffer.byteLength(text) > SPEND_LIMITS.maxBytes) throw new SpendFileError(`the file is larger than ${SPEND_LIMITS.maxBytes} bytes`);
      let records: { record: Record<string, string>; info: { lines: number } }[];
      try {
        records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), info: true, skip_empty_lines: true, relax_column_count: true, trim: true, bom: true });
      } catch (error) {
        throw new SpendFileError(`not a readable CSV: ${(error as Error).message}`);
      }
      const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].split(',').map((h) => h.trim().toLowerCase());
      const missing = SPEND_COLUMNS.filter((c) => c !== 'medium' && c !== 'campaign' && !header.includes(c));
      if (missing.length > 0) throw new SpendFileError(`the header lacks ${missing.join(', ')} (expected ${SPEND_COLUMNS.join(',')})`);
      if (records.length > SPEND_LIMITS.maxRows) throw new SpendFileError(`${records.length} rows; at most ${SPEND_LIMITS.maxRows} per file`);
      return this.importRows(records.map(({ record, info }) => ({ line: info.lines, row: record })));
    },
  };
};

export class SpendFileError extends Error {}
