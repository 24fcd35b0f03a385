import type { PluginMigration } from '@moat/plugin-kit';

/**
 * Backfill progress: one row per shop and resource (customers, products, orders). The cursor
 * is the last committed Link page_info, so a runner killed mid-way resumes from there; the
 * lease (owner + expiry) keeps one runner per row across instances.
 */
export const backfillMigration: PluginMigration = {
  name: '2026.12.03-shopify-backfill-jobs',
  async up(knex) {
    if (await knex.schema.hasTable('shopify_backfill_jobs')) return;
    await knex.schema.createTable('shopify_backfill_jobs', (t) => {
      t.string('shop', 128).notNullable();
      /** customers | products | orders */
      t.string('resource', 16).notNullable();
      /** pending | running | done | failed */
      t.string('status', 16).notNullable();
      /** page_info of the next page to fetch; null = the first page */
      t.text('cursor');
      t.integer('done').notNullable().defaultTo(0);
      /** Shopify's count at the start (null until read) */
      t.integer('total');
      t.string('lease_owner', 128);
      t.bigInteger('lease_expires');
      t.text('error');
      t.bigInteger('started_at');
      t.bigInteger('finished_at');
      t.bigInteger('updated_at').notNullable();
      t.primary(['shop', 'resource'], 'shopify_backfill_jobs_pk');
    });
  },
};
