import type { PluginMigration } from '@moat/plugin-kit';

/**
 * The touchpoint store (ARCHITECTURE.md "one timeline"): one append-only table every plugin
 * writes through the tracking plugin's `touchpoints` service, plus the visitors table that
 * carries sessions and the visitor -> customer link. Raw knex, not content types: these are
 * high-volume tables Strapi must not sync, and Strapi leaves tables it did not create alone.
 *
 * Times are epoch milliseconds (bigint) on both SQLite and PostgreSQL: one comparison and one
 * cursor format everywhere, no timezone conversions on the hot path. Raw IPs are never stored.
 * Idempotent (`hasTable`): a database made by the app migrations of before (same tables,
 * recorded in strapi_migrations) keeps its tables and rows.
 */
export const touchpoints: PluginMigration = {
  name: '2026.11.26T00.00.00.touchpoints',
  async up(knex, { client }) {
    const isPg = client === 'postgres';
    if (!(await knex.schema.hasTable('moat_touchpoints'))) {
      await knex.schema.createTable('moat_touchpoints', (t) => {
        t.bigIncrements('id').primary();
        t.bigInteger('occurred_at').notNullable();
        t.bigInteger('received_at').notNullable();
        t.string('type', 32).notNullable();
        /** where it happened: web, email, whatsapp, shopify, erp, ... */
        t.string('channel', 32).notNullable();
        t.string('site', 64);
        t.string('visitor_id', 64);
        /** documentId of the CRM customer, once known */
        t.string('customer_id', 64);
        t.string('session_id', 64);
        /** acquisition: source (google, newsletter, partner.com) and its class */
        t.string('source', 128);
        t.string('source_channel', 24);
        t.string('country', 2);
        t.string('device', 16);
        t.string('browser', 32);
        t.string('os', 32);
        t.string('url', 2048);
        t.string('path', 1024);
        if (isPg) t.jsonb('properties');
        else t.text('properties');
        /** idempotency: web:<visitor>:<event id> or <channel>:<client event id> */
        t.string('dedupe_key', 200);
      });
      await knex.schema.alterTable('moat_touchpoints', (t) => {
        t.index(['customer_id', 'occurred_at'], 'moat_tp_customer_time');
        t.index(['visitor_id', 'occurred_at'], 'moat_tp_visitor_time');
        t.index(['type', 'occurred_at'], 'moat_tp_type_time');
        t.unique(['dedupe_key'], { indexName: 'moat_tp_dedupe' });
      });
    }
    if (!(await knex.schema.hasTable('moat_visitors'))) {
      await knex.schema.createTable('moat_visitors', (t) => {
        t.string('visitor_id', 64).primary();
        t.string('site', 64);
        t.string('customer_id', 64);
        t.string('session_id', 64);
        /** last activity as persisted (lazily: at most a few minutes behind the live value) */
        t.bigInteger('last_seen_at').notNullable();
        t.bigInteger('first_seen_at').notNullable();
        t.string('first_source', 128);
        t.string('first_source_channel', 24);
        t.string('country', 2);
        t.string('timezone', 64);
        t.string('language', 35);
      });
      await knex.schema.alterTable('moat_visitors', (t) => {
        t.index(['customer_id'], 'moat_visitors_customer');
      });
    }
  },
};
