import { clientOf, type PluginMigration } from '@moat/plugin-kit';
import type { Knex } from 'knex';

export const CUSTOMERS_TABLE = 'crm_customers';
export const EMAIL_INDEX = 'crm_customers_email_norm_uq';
export const EXTERNAL_ID_INDEX = 'crm_customers_external_id_uq';

/**
 * Raw schema work Strapi's schema sync does not do (it leaves indexes it did not create
 * alone). Ordered; run once each from bootstrap (they index content-type tables, which exist
 * only after Strapi's schema sync) by @moat/plugin-kit's runner; each `up` is idempotent (IF
 * NOT EXISTS) all the same. Duplicates that would break a unique index
 * are merged first by the bootstrap (services/customers.ts mergeCaseDuplicates).
 */
export const migrations: PluginMigration[] = [
  {
    // one customer per person: the database, not a check before insert, refuses a second row
    // for the same address in another case or with spaces; identify looks up by this expression
    name: '2026.12.02-customers-unique-normalized-email',
    async up(knex) {
      await knex.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ${EMAIL_INDEX} ON ${CUSTOMERS_TABLE} (lower(trim(email)))`);
    },
  },
  {
    name: '2026.12.02-customers-unique-external-id',
    async up(knex) {
      await knex.raw(`CREATE UNIQUE INDEX IF NOT EXISTS ${EXTERNAL_ID_INDEX} ON ${CUSTOMERS_TABLE} (external_id)`);
    },
  },
];

/** Runs them in order without recording (tests and benches that drop an index and re-create it). */
export async function runMigrations(knex: Knex, list: PluginMigration[] = migrations): Promise<void> {
  const ctx = { client: clientOf(knex) };
  for (const migration of list) await migration.up(knex, ctx);
}

/** Whether an index exists (the duplicate sweep before the email index runs only until it does). */
export async function hasIndex(knex: Knex, name: string): Promise<boolean> {
  const rows =
    clientOf(knex) === 'sqlite'
      ? await knex('sqlite_master').where({ type: 'index', name }).select('name')
      : await knex('pg_indexes').where({ indexname: name }).whereRaw('schemaname = current_schema()').select('indexname');
  return rows.length > 0;
}
