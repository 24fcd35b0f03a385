import type { PluginMigration } from '@moat/plugin-kit';

/**
 * Webhook deliveries already handled (WooCommerce today): a replayed delivery id is answered
 * "duplicate" before anything runs. A signature covers only the body, so a captured delivery
 * could otherwise be replayed at any time. Idempotent (`hasTable`) like the other migrations.
 */
export const webhookDeliveries: PluginMigration = {
  name: '2026.12.02T00.00.00.webhook-deliveries',
  async up(knex) {
    if (await knex.schema.hasTable('moat_webhook_deliveries')) return;
    await knex.schema.createTable('moat_webhook_deliveries', (t) => {
      /** who sent it: woocommerce */
      t.string('source', 32).notNullable();
      /** the store, as named in the delivery URL */
      t.string('site', 64).notNullable();
      t.string('delivery_id', 128).notNullable();
      t.string('topic', 64).notNullable();
      t.string('webhook_id', 32);
      /** epoch milliseconds */
      t.bigInteger('received_at').notNullable();
      t.primary(['source', 'site', 'delivery_id'], 'moat_webhook_deliveries_pk');
    });
  },
};
