import type { PluginMigration } from '@moat/plugin-kit';
import { CUBE_TABLE, DIRTY_TABLE, ROLLUP_TABLE, SPEND_TABLE, STATE_TABLE } from '../utils/constants';


/**
 * The insights plugin's own raw tables, in order; each step is idempotent (hasTable) and recorded
 * in moat_plugin_migrations by @moat/plugin-kit. Rollups are derived data: `rollups.rebuild()` refills them from
 * moat_touchpoints at any time.
 */
export const migrations: PluginMigration[] = [
  {
    name: '2026.12.02-insights-rollups',
    async up(knex) {
      if (!(await knex.schema.hasTable(ROLLUP_TABLE))) {
        await knex.schema.createTable(ROLLUP_TABLE, (t) => {
          /** days since 1970-01-01 in the shop's time zone */
          t.integer('day').notNullable();
          // '' for unknown, so the unique key below also covers "no source"
          t.string('site', 64).notNullable();
          t.string('source', 128).notNullable();
          t.string('medium', 24).notNullable();
          t.string('campaign', 128).notNullable();
          t.string('country', 2).notNullable();
          t.string('device', 16).notNullable();
          t.integer('visitors').notNullable();
          t.integer('interacting').notNullable();
          t.integer('leads').notNullable();
          t.integer('inquiries').notNullable();
          t.integer('deals').notNullable();
          t.double('revenue').notNullable();
          t.unique(['day', 'site', 'source', 'medium', 'campaign', 'country', 'device'], { indexName: 'moat_insights_daily_key' });
        });
      }
      if (!(await knex.schema.hasTable(DIRTY_TABLE))) {
        await knex.schema.createTable(DIRTY_TABLE, (t) => {
          t.integer('day').primary();
        });
      }
      if (!(await knex.schema.hasTable(STATE_TABLE))) {
        await knex.schema.createTable(STATE_TABLE, (t) => {
          t.string('key', 64).primary();
          t.bigInteger('value').notNullable();
        });
      }
    },
  },
  {
    name: '2026.12.02-insights-spend',
    async up(knex) {
      if (await knex.schema.hasTable(SPEND_TABLE)) return;
      await knex.schema.createTable(SPEND_TABLE, (t) => {
        t.integer('day').notNullable();
        t.string('source', 128).notNullable();
        t.string('medium', 24).notNullable();
        t.string('campaign', 128).notNullable();
        t.bigInteger('impressions').notNullable();
        t.bigInteger('clicks').notNullable();
        t.double('spend').notNullable();
        t.string('currency', 3).notNullable();
        t.unique(['day', 'source', 'medium', 'campaign'], { indexName: 'moat_insights_spend_key' });
      });
    },
  },
  {
    name: '2026.12.02-insights-daily-dim',
    async up(knex) {
      if (await knex.schema.hasTable(CUBE_TABLE)) return;
      // per day: the day's total (dim '') and its total per value of each single dimension
      await knex.schema.createTable(CUBE_TABLE, (t) => {
        t.integer('day').notNullable();
        t.string('dim', 16).notNullable();
        t.string('value', 128).notNullable();
        for (const m of ['visitors', 'interacting', 'leads', 'inquiries', 'deals']) t.integer(m).notNullable();
        t.double('revenue').notNullable();
        t.unique(['dim', 'value', 'day'], { indexName: 'moat_insights_daily_dim_key' });
      });
    },
  },
  {
    name: '2026.12.02-insights-touchpoint-time-index',
    /**
     * Recomputing a day reads moat_touchpoints by occurred_at alone; without this index every
     * late touchpoint's day was a full scan (6.5 s at 5M rows in bench:insights). One more
     * b-tree on a near-monotonic bigint for the collect path to maintain.
     */
    async up(knex) {
      // the app's migrations create the table after plugin register on a fresh database: bootstrap runs the list again
      if (!(await knex.schema.hasTable('moat_touchpoints'))) return;
      await knex.raw('CREATE INDEX IF NOT EXISTS moat_insights_tp_time ON moat_touchpoints (occurred_at)');
    },
  },
];
