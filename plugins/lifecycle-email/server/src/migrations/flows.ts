import type { PluginMigration } from '@moat/plugin-kit';

export const FLOWS_TABLE = 'moat_flows';
export const ENROLLMENTS_TABLE = 'moat_flow_enrollments';
export const STEP_STATS_TABLE = 'moat_flow_step_stats';
export const FLOW_CURSOR_TABLE = 'moat_flow_cursor';

/**
 * Lifecycle flows (issue 14): definitions, one enrollment per customer walking a flow, and
 * per-step counters. Raw tables: enrollments are written by the scheduler at volume.
 */
export const flowMigrations: PluginMigration[] = [
  {
    name: '2026.12.03-flows',
    async up(knex) {
      if (!(await knex.schema.hasTable(FLOWS_TABLE))) {
        await knex.schema.createTable(FLOWS_TABLE, (t) => {
          t.increments('id').primary();
          t.string('key', 64).notNullable().unique();
          t.string('name', 200).notNullable();
          t.boolean('enabled').notNullable().defaultTo(false);
          t.text('definition').notNullable();
          t.integer('version').notNullable().defaultTo(1);
          // date triggers: the last local day they were evaluated (YYYY-MM-DD)
          t.string('scanned_day', 10).nullable();
          t.bigInteger('created_at').notNullable();
          t.bigInteger('updated_at').notNullable();
        });
      }
      if (!(await knex.schema.hasTable(ENROLLMENTS_TABLE))) {
        await knex.schema.createTable(ENROLLMENTS_TABLE, (t) => {
          t.bigIncrements('id').primary();
          t.integer('flow_id').notNullable();
          t.integer('flow_version').notNullable();
          t.string('customer_id', 64).notNullable();
          // active | completed | exited
          t.string('state', 16).notNullable();
          t.string('reason', 200).nullable();
          t.integer('step').notNullable().defaultTo(0);
          t.bigInteger('next_run_at').nullable();
          t.text('context').nullable();
          // "<flow>:<customer>" while active, null after: one active enrollment per flow and customer
          // (a unique column rather than a partial index: the same on SQLite and PostgreSQL)
          t.string('active_key', 100).nullable().unique();
          t.string('claim', 36).nullable();
          t.bigInteger('lease_until').nullable();
          t.bigInteger('enrolled_at').notNullable();
          t.bigInteger('updated_at').notNullable();
          t.bigInteger('finished_at').nullable();
          t.index(['state', 'next_run_at'], 'moat_flow_enr_due');
          t.index(['customer_id', 'state'], 'moat_flow_enr_customer');
          t.index(['flow_id', 'customer_id'], 'moat_flow_enr_flow_customer');
        });
      }
      if (!(await knex.schema.hasTable(STEP_STATS_TABLE))) {
        await knex.schema.createTable(STEP_STATS_TABLE, (t) => {
          t.integer('flow_id').notNullable();
          t.integer('step').notNullable();
          // entered | sent | exited
          t.string('metric', 16).notNullable();
          t.bigInteger('count').notNullable().defaultTo(0);
          t.primary(['flow_id', 'step', 'metric']);
        });
      }
    },
  },
  {
    // Flow triggers recoverable from the database: each enrollment names the touchpoint (or the
    // date) that started it, once; a cursor over the touchpoint store says how far the catch-up read.
    name: '2026.12.03-flow-trigger-keys',
    async up(knex) {
      if (!(await knex.schema.hasColumn(ENROLLMENTS_TABLE, 'trigger_key'))) {
        await knex.schema.alterTable(ENROLLMENTS_TABLE, (t) => {
          // "<flow>:<touchpoint dedupe key or id:N>" or "<flow>:date:<customer>:<year>"; null for none
          t.string('trigger_key', 300).nullable();
          t.unique(['trigger_key'], { indexName: 'moat_flow_enr_trigger' });
        });
      }
      if (!(await knex.schema.hasTable(FLOW_CURSOR_TABLE))) {
        await knex.schema.createTable(FLOW_CURSOR_TABLE, (t) => {
          t.string('name', 32).primary();
          t.bigInteger('last_id').notNullable();
          t.bigInteger('updated_at').notNullable();
        });
        // start at the store's end: history before the upgrade is not replayed
        const last = (await knex.schema.hasTable('moat_touchpoints')) ? await knex('moat_touchpoints').max({ id: 'id' }).first() : undefined;
        await knex(FLOW_CURSOR_TABLE).insert({ name: 'touchpoints', last_id: Number(last?.id ?? 0), updated_at: Date.now() });
      }
    },
  },
];
