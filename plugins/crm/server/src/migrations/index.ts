import type { Knex } from 'knex';

/** What a migration knows about where it runs (the shape @moat/plugin-kit's runner passes). */
export interface MigrationContext {
  client: 'sqlite' | 'postgres';
}
export interface PluginMigration {
  name: string;
  up(knex: Knex, ctx: MigrationContext): Promise<void>;
}

export const CUSTOMERS_TABLE = 'crm_customers';
export const EMAIL_INDEX = 'crm_customers_email_norm_uq';
export const EXTERNAL_ID_INDEX = 'crm_customers_external_id_uq';

/**
 * Raw schema work Strapi's schema sync does not do (it leaves indexes it did not create
 * alone). Ordered; each `up` is idempotent (IF NOT EXISTS), so running them on every boot
 * until the shared runner records them is safe. Duplicates that would break a unique index
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

export const clientOf = (knex: Knex): MigrationContext['client'] =>
  /sqlite/.test(String(knex.client.config.client)) ? 'sqlite' : 'postgres';

/** Runs them in order (until @moat/plugin-kit's runPluginMigrations lands on main). */
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
