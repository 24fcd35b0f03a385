import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { Core } from '@strapi/strapi';
import { parse } from 'csv-parse';
import { z } from 'zod';
import { CUSTOMER_UID } from '../utils/constants';
import { CrmError } from '../utils/errors';
import { STAGES, TIERS } from './customer-queries';

export const IMPORT_JOBS_TABLE = 'crm_import_jobs';
/** the customer fields a CSV column can map to */
export const IMPORT_FIELDS = ['email', 'name', 'phone', 'whatsapp', 'company', 'jobTitle', 'country', 'timeZone', 'language', 'tags', 'tier', 'stage', 'birthday'] as const;
type Field = (typeof IMPORT_FIELDS)[number];
const BATCH = 500;
const MAX_REPORTED = 1000;
const MAX_RECORD_BYTES = 64 * 1024;

export const mappingSchema = z
  .record(z.string().max(200), z.enum([...IMPORT_FIELDS, 'ignore']))
  .refine((m) => Object.values(m).includes('email'), { message: 'map one column to email (customers are deduplicated by it)' })
  .refine((m) => Object.values(m).filter((f) => f !== 'ignore').length === new Set(Object.values(m).filter((f) => f !== 'ignore')).size, {
    message: 'each field may be mapped from one column only',
  });
export type Mapping = z.infer<typeof mappingSchema>;

export interface ImportJob {
  id: number;
  status: 'running' | 'done' | 'failed';
  fileName: string | null;
  progress: number;
  processed: number;
  imported: number;
  updated: number;
  rejected: number;
  rejections: Array<{ line: number; reason: string }>;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** One CSV record → customer values, or the reason it is rejected (the report names the field). */
export function validateRecord(record: Record<string, string>, mapping: Mapping): { values: Partial<Record<Field, string | string[]>> } | { reason: string } {
  const values: Partial<Record<Field, string | string[]>> = {};
  for (const [column, field] of Object.entries(mapping)) {
    if (field === 'ignore') continue;
    const raw = (record[column] ?? '').trim();
    if (!raw) continue;
    values[field] = raw;
  }
  const email = String(values.email ?? '').toLowerCase();
  if (!email) return { reason: 'email: missing' };
  if (email.length > 254 || !EMAIL.test(email)) return { reason: `email: "${email.slice(0, 80)}" is not an email address` };
  values.email = email;
  for (const key of ['phone', 'whatsapp'] as const) {
    if (!values[key]) continue;
    const digits = String(values[key]).replace(/[\s().-]/g, '');
    if (!/^\+?[1-9]\d{6,14}$/.test(digits)) return { reason: `${key}: "${String(values[key]).slice(0, 40)}" is not a phone number (E.164)` };
    values[key] = digits.startsWith('+') ? digits : `+${digits}`;
  }
  if (values.country) {
    const country = String(values.country).toUpperCase();
    if (!/^[A-Z]{2}$/.test(country)) return { reason: `country: "${String(values.country).slice(0, 40)}" is not a two-letter country code` };
    values.country = country;
  }
  if (values.birthday) {
    // a calendar date (the birthday flow sends on that day in the buyer's own time zone); 1990-12-05 or 05.12.1990 / 12/05/1990 are ambiguous across locales, so only ISO
    const raw = String(values.birthday).trim();
    const at = new Date(`${raw}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== raw) return { reason: `birthday: "${raw.slice(0, 40)}" is not a date (YYYY-MM-DD)` };
    values.birthday = raw;
  }
  if (values.tier && !(TIERS as readonly string[]).includes(String(values.tier))) return { reason: `tier: "${String(values.tier).slice(0, 40)}" is not one of ${TIERS.join(', ')}` };
  if (values.stage && !(STAGES as readonly string[]).includes(String(values.stage))) return { reason: `stage: "${String(values.stage).slice(0, 40)}" is not one of ${STAGES.join(', ')}` };
  if (values.tags) values.tags = String(values.tags).split(/[;,]/).map((t) => t.trim()).filter(Boolean).slice(0, 50);
  for (const [key, max] of [['name', 255], ['company', 255], ['jobTitle', 128], ['timeZone', 64], ['language', 16]] as const) {
    if (values[key] && String(values[key]).length > max) return { reason: `${key}: longer than ${max} characters` };
  }
  return { values };
}

/** Strapi's document ids are 24 lower-case letters and digits */
const documentId = () => {
  const bytes = randomBytes(24);
  return Array.from(bytes, (b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
};

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * CSV import of customer lists. The file is stream-parsed (csv-parse) and written in batches of
 * 500 with a yield to the event loop between them, so 100,000 rows do not block the server;
 * the job's row (crm_import_jobs) carries progress the admin polls. Deduplicated by normalized
 * email: a known customer only gets the fields they lack; an address seen earlier in the same
 * file is rejected naming that line. Raw knex writes (not the Document Service): a document
 * call per row would take minutes at this size.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  let ready: Promise<void> | null = null;
  const ensureTable = () => {
    ready ??= (async () => {
      if (await knex().schema.hasTable(IMPORT_JOBS_TABLE)) return;
      await knex().schema.createTable(IMPORT_JOBS_TABLE, (t) => {
        t.increments('id').primary();
        t.string('status', 16).notNullable();
        t.integer('created_by');
        t.string('file_name', 255);
        t.float('progress').notNullable().defaultTo(0);
        t.integer('processed').notNullable().defaultTo(0);
        t.integer('imported').notNullable().defaultTo(0);
        t.integer('updated').notNullable().defaultTo(0);
        t.integer('rejected').notNullable().defaultTo(0);
        t.text('rejections');
        t.text('error');
        t.bigInteger('created_at').notNullable();
        t.bigInteger('finished_at');
      });
    })().catch((error) => {
      ready = null;
      throw error;
    });
    return ready;
  };
  const column = (attribute: string) => {
    const attr = strapi.db.metadata.get(CUSTOMER_UID).attributes[attribute] as { columnName?: string } | undefined;
    return attr?.columnName ?? attribute;
  };
  const table = () => strapi.db.metadata.get(CUSTOMER_UID).tableName;

  function toJob(row: Record<string, unknown>): ImportJob {
    return {
      id: Number(row.id),
      status: row.status as ImportJob['status'],
      fileName: (row.file_name as string) ?? null,
      progress: Number(row.progress),
      processed: Number(row.processed),
      imported: Number(row.imported),
      updated: Number(row.updated),
      rejected: Number(row.rejected),
      rejections: row.rejections ? (JSON.parse(String(row.rejections)) as ImportJob['rejections']) : [],
      error: (row.error as string) ?? null,
      createdAt: Number(row.created_at),
      finishedAt: row.finished_at == null ? null : Number(row.finished_at),
    };
  }

  /** writes one batch: new customers inserted, known ones filled where empty; returns the counts */
  async function writeBatch(batch: Array<{ line: number; values: Partial<Record<Field, string | string[]>> }>) {
    const emails = batch.map((b) => b.values.email as string);
    const existing = (await knex()(table()).select('id', ...IMPORT_FIELDS.map((f) => `${column(f)} as ${f}`)).whereIn(column('email'), emails)) as Array<Record<string, unknown>>;
    const known = new Map(existing.map((row) => [String(row.email), row]));
    const now = new Date();
    const inserts: Record<string, unknown>[] = [];
    let updated = 0;
    await knex().transaction(async (trx) => {
      for (const { values } of batch) {
        const current = known.get(values.email as string);
        if (current) {
          const patch: Record<string, unknown> = {};
          for (const field of IMPORT_FIELDS) {
            const value = values[field];
            if (value === undefined || (current[field] !== null && current[field] !== undefined && current[field] !== '')) continue;
            patch[column(field)] = field === 'tags' ? JSON.stringify(value) : value;
          }
          if (Object.keys(patch).length > 0) {
            await trx(table()).where('id', current.id as number).update({ ...patch, [column('updatedAt')]: now });
          }
          updated++;
          continue;
        }
        const row: Record<string, unknown> = {
          [column('documentId')]: documentId(),
          [column('createdAt')]: now,
          [column('updatedAt')]: now,
          [column('publishedAt')]: now,
          [column('stage')]: 'subscriber',
          [column('score')]: 0,
          [column('ordersCount')]: 0,
          [column('totalSpent')]: 0,
          [column('emailConsent')]: 'unknown',
          [column('firstSource')]: 'import',
          [column('unverifiedTraits')]: '[]',
        };
        for (const field of IMPORT_FIELDS) {
          const value = values[field];
          if (value !== undefined) row[column(field)] = field === 'tags' ? JSON.stringify(value) : value;
        }
        inserts.push(row);
      }
      for (let i = 0; i < inserts.length; i += 100) await trx(table()).insert(inserts.slice(i, i + 100));
    });
    return { imported: inserts.length, updated };
  }

  async function run(jobId: number, filePath: string, mapping: Mapping) {
    const size = Math.max(1, statSync(filePath).size);
    const parser = createReadStream(filePath).pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true, skip_records_with_error: true, info: true, max_record_size: MAX_RECORD_BYTES, relax_column_count: false }),
    );
    const rejections: ImportJob['rejections'] = [];
    let rejected = 0;
    const reject = (line: number, reason: string) => {
      rejected++;
      if (rejections.length < MAX_REPORTED) rejections.push({ line, reason });
    };
    parser.on('skip', (error: Error & { lines?: number; code?: string }) => {
      reject(error.lines ?? 0, error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' || error.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ? 'wrong number of columns' : error.message.slice(0, 200));
    });
    const firstLine = new Map<string, number>();
    let batch: Array<{ line: number; values: Partial<Record<Field, string | string[]>> }> = [];
    let processed = 0;
    let imported = 0;
    let updated = 0;
    let bytes = 0;
    const flush = async () => {
      if (batch.length > 0) {
        const counts = await writeBatch(batch);
        imported += counts.imported;
        updated += counts.updated;
        batch = [];
      }
      await knex()(IMPORT_JOBS_TABLE)
        .where('id', jobId)
        .update({ progress: Math.min(0.99, bytes / size), processed: processed + rejected, imported, updated, rejected, rejections: JSON.stringify(rejections) });
      await yieldToLoop();
    };
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number; bytes: number } }>) {
      processed++;
      bytes = info.bytes;
      const result = validateRecord(record, mapping);
      if ('reason' in result) reject(info.lines, result.reason);
      else {
        const email = result.values.email as string;
        const earlier = firstLine.get(email);
        if (earlier !== undefined) reject(info.lines, `email: ${email} already on line ${earlier}`);
        else {
          firstLine.set(email, info.lines);
          batch.push({ line: info.lines, values: result.values });
        }
      }
      if (batch.length >= BATCH || processed % BATCH === 0) await flush();
    }
    bytes = size;
    await flush();
    rejections.sort((a, b) => a.line - b.line);
    await knex()(IMPORT_JOBS_TABLE).where('id', jobId).update({ status: 'done', progress: 1, rejections: JSON.stringify(rejections), finished_at: Date.now() });
  }

  return {
    /** starts an import in the background and returns its job at once (the admin polls it) */
    async start(filePath: string, fileName: string | null, mapping: Mapping, userId: number, onDone?: () => void): Promise<ImportJob> {
      await ensureTable();
      const [inserted] = await knex()(IMPORT_JOBS_TABLE)
        .insert({ status: 'running', created_by: userId, file_name: fileName?.slice(0, 255) ?? null, created_at: Date.now() })
        .returning('id');
      const id = Number(typeof inserted === 'object' ? (inserted as { id: number }).id : inserted);
      run(id, filePath, mapping)
        .catch(async (error: Error) => {
          strapi.log.error(`crm import ${id} failed: ${error.message}`);
          await knex()(IMPORT_JOBS_TABLE).where('id', id).update({ status: 'failed', error: error.message.slice(0, 1000), finished_at: Date.now() });
        })
        .finally(() => onDone?.());
      return this.status(id, userId, true);
    },

    /** a job, to the admin who started it (or anyone holding read-all) */
    async status(id: number, userId: number, all: boolean): Promise<ImportJob> {
      await ensureTable();
      const row = await knex()(IMPORT_JOBS_TABLE).where('id', id).first();
      if (!row || (!all && Number(row.created_by) !== userId)) throw new CrmError(404, `import ${id} not found`);
      return toJob(row);
    },
  };
};
