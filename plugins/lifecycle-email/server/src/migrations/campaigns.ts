import type { PluginMigration } from '@moat/plugin-kit';

export const CAMPAIGNS_TABLE = 'moat_campaigns';

/** Campaigns (issue 14 §4): one row per campaign; its messages live in moat_messages by campaign_id. */
export const campaignMigrations: PluginMigration[] = [
  {
    name: '2026.12.03-campaigns',
    async up(knex) {
      if (await knex.schema.hasTable(CAMPAIGNS_TABLE)) return;
      await knex.schema.createTable(CAMPAIGNS_TABLE, (t) => {
        // a short random id: it is part of every message's idempotency key
        t.string('id', 32).primary();
        t.string('name', 255).notNullable();
        t.string('segment_id', 64).notNullable();
        t.string('template_key', 128).notNullable();
        // draft | scheduled | sending | paused | cancelled | done
        t.string('status', 16).notNullable().defaultTo('draft');
        // now | at | local (send_at as wall-clock time in each recipient's zone)
        t.string('schedule_mode', 8).notNullable().defaultTo('now');
        t.bigInteger('send_at').nullable();
        // the wall-clock time of "local" mode, YYYY-MM-DDTHH:mm
        t.string('local_time', 16).nullable();
        t.string('window_start', 5).nullable();
        t.string('window_end', 5).nullable();
        // ISO weekdays 1 (Monday) … 7, comma-separated; null: every day
        t.string('window_days', 20).nullable();
        // the last customer id whose message was written: sending resumes after it
        t.bigInteger('cursor').nullable();
        t.integer('recipients').notNullable().defaultTo(0);
        t.integer('enqueued').notNullable().defaultTo(0);
        t.integer('skipped').notNullable().defaultTo(0);
        t.bigInteger('created_at').notNullable();
        t.bigInteger('updated_at').notNullable();
        t.bigInteger('started_at').nullable();
        // every segment member has a message row (sent, queued or skipped)
        t.bigInteger('written_at').nullable();
        t.bigInteger('finished_at').nullable();
        t.index(['status'], 'moat_campaigns_status');
      });
    },
  },
];
