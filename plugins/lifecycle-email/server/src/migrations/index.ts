import type { PluginMigration } from '@moat/plugin-kit';
import { flowMigrations } from './flows';
import { campaignMigrations } from './campaigns';

export const MESSAGES_TABLE = 'moat_messages';
export const SUPPRESSIONS_TABLE = 'moat_email_suppressions';

/**
 * Raw tables of the delivery pipeline (high volume, written by workers: not CMS content).
 * Ordered; each step checks before it creates.
 */
export const migrations: PluginMigration[] = [
  {
    name: '2026.12.02-messages',
    async up(knex) {
      if (await knex.schema.hasTable(MESSAGES_TABLE)) return;
      await knex.schema.createTable(MESSAGES_TABLE, (t) => {
        t.bigIncrements('id').primary();
        // flow step + enrollment, or campaign + customer: the same intent never sends twice
        t.string('idempotency_key', 200).notNullable().unique();
        t.string('status', 16).notNullable().defaultTo('pending');
        t.string('reason', 500).nullable();
        t.string('lane', 16).notNullable();
        t.string('kind', 16).notNullable();
        t.string('customer_id', 64).nullable();
        t.string('recipient', 254).notNullable();
        t.string('template_key', 128).notNullable();
        t.string('locale', 35).nullable();
        t.text('data').nullable();
        t.string('campaign_id', 64).nullable();
        t.string('flow_id', 64).nullable();
        t.integer('attempts').notNullable().defaultTo(0);
        t.string('provider_message_id', 300).nullable();
        t.string('job_id', 100).nullable();
        // a worker's claim on a row in "sending"; another worker may take it after lease_until
        t.string('claim', 36).nullable();
        t.bigInteger('lease_until').nullable();
        t.bigInteger('send_at').notNullable();
        t.bigInteger('created_at').notNullable();
        t.bigInteger('updated_at').notNullable();
        t.bigInteger('sent_at').nullable();
        t.bigInteger('opened_at').nullable();
        t.bigInteger('clicked_at').nullable();
        t.index(['status', 'send_at'], 'moat_messages_status_send_at');
        t.index(['campaign_id', 'status'], 'moat_messages_campaign');
        t.index(['recipient'], 'moat_messages_recipient');
        t.index(['customer_id'], 'moat_messages_customer');
      });
    },
  },
  {
    name: '2026.12.02-suppressions',
    async up(knex) {
      if (await knex.schema.hasTable(SUPPRESSIONS_TABLE)) return;
      await knex.schema.createTable(SUPPRESSIONS_TABLE, (t) => {
        // lower-cased address
        t.string('address', 254).primary();
        // "bounced" stops every send; "unsubscribed" stops marketing only
        t.string('reason', 32).notNullable();
        t.string('detail', 500).nullable();
        t.bigInteger('message_id').nullable();
        t.bigInteger('created_at').notNullable();
      });
    },
  },
  ...flowMigrations,
  ...campaignMigrations,
];
