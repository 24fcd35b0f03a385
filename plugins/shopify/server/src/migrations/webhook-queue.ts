import type { PluginMigration } from '@moat/plugin-kit';

/**
 * Webhooks are recorded, answered, then processed from a queue (services/webhooks.ts): the
 * delivery row becomes the durable record the queue and the reconciler work from. The payload
 * is kept only until the delivery is processed (or redacted); the row then keeps its outcome.
 */
export const webhookQueueMigration: PluginMigration = {
  name: '2026.12.03-shopify-webhook-queue',
  async up(knex) {
    const table = 'shopify_webhook_deliveries';
    const add = async (column: string, build: (t: import('knex').Knex.CreateTableBuilder) => void) => {
      if (!(await knex.schema.hasColumn(table, column))) await knex.schema.alterTable(table, build);
    };
    await add('payload', (t) => t.text('payload'));
    await add('triggered_at', (t) => t.bigInteger('triggered_at'));
    /** processing attempts so far (a retry of a failed one counts on) */
    await add('attempts', (t) => t.integer('attempts').notNullable().defaultTo(0));
    await add('error', (t) => t.text('error'));
    /** JSON: what processing did (applied, recorded touchpoints, export id, ...) */
    await add('result', (t) => t.text('result'));
    /** a worker holds the delivery until then (one processor at a time, across instances) */
    await add('lease_until', (t) => t.bigInteger('lease_until'));
    await add('processed_at', (t) => t.bigInteger('processed_at'));
    await add('updated_at', (t) => t.bigInteger('updated_at'));
    // rows of the inline processing that came before: done → processed; a claim left behind
    // by a crash had its payload dropped, so nothing is left to run
    await knex(table).where({ status: 'done' }).update({ status: 'processed' });
    await knex(table).where({ status: 'processing' }).update({ status: 'failed', error: 'interrupted before the webhook queue existed' });
    await knex(table).whereNull('updated_at').update({ updated_at: knex.ref('received_at') });
    // IF NOT EXISTS: like every step here, safe to run again on a database made before the
    // runner recorded it (SQLite and PostgreSQL both accept it)
    await knex.raw('CREATE INDEX IF NOT EXISTS ?? ON ?? (??, ??)', ['shopify_webhook_deliveries_status_idx', table, 'status', 'updated_at']);
    await knex.raw('CREATE INDEX IF NOT EXISTS ?? ON ?? (??, ??)', ['shopify_webhook_deliveries_shop_idx', table, 'shop', 'received_at']);
  },
};
