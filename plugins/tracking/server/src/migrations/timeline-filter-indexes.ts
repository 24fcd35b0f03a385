import type { Knex } from 'knex';
import type { DatabaseClient, PluginMigration } from '@moat/plugin-kit';

/**
 * Timeline filters by type or channel. Without these, a filter that matches little of a
 * customer's history walked the (customer_id, occurred_at) index through all of it (49 ms at
 * 10,000 rows on SQLite). The timeline service reads one of these per filtered type (or
 * channel) and merges the newest rows, so a filtered page costs the same whatever it matches.
 * `id` closes the index so "occurred_at DESC, id DESC" needs no sort on PostgreSQL either.
 * Partial (customer_id IS NOT NULL): anonymous storefront events, the bulk of collect's
 * writes, never touch them. Safe to run again.
 */
const INDEXES = [
  ['moat_tp_customer_type_time', 'type'],
  ['moat_tp_customer_channel_time', 'channel'],
];

/** the index's definition as the database reports it, or null when it does not exist */
async function indexDefinition(knex: Knex, client: DatabaseClient, name: string): Promise<string | null> {
  if (client === 'sqlite') {
    const rows = await knex.raw(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, [name]);
    return (rows as { sql: string }[])[0]?.sql ?? null;
  }
  const result = await knex.raw('SELECT indexdef FROM pg_indexes WHERE indexname = ? AND schemaname = current_schema()', [name]);
  return (result as { rows: { indexdef: string }[] }).rows[0]?.indexdef ?? null;
}

export const timelineFilterIndexes: PluginMigration = {
  name: '2026.11.26T01.00.00.timeline-filter-indexes',
  async up(knex, { client }) {
    // the unfiltered timeline's index becomes partial too: anonymous events were indexed there
    // for nothing (a SQLite probe: 0.9 µs less per stored event, ~8 % of the write). A database
    // upgraded from the app migrations already has the partial one: no rebuild of a big table.
    const current = await indexDefinition(knex, client, 'moat_tp_customer_time');
    if (!current || !/\bWHERE\b/i.test(current)) {
      await knex.raw('DROP INDEX IF EXISTS moat_tp_customer_time');
      await knex.raw('CREATE INDEX moat_tp_customer_time ON moat_touchpoints (customer_id, occurred_at, id) WHERE customer_id IS NOT NULL');
    }
    for (const [name, column] of INDEXES) {
      await knex.raw(`CREATE INDEX IF NOT EXISTS ${name} ON moat_touchpoints (customer_id, ${column}, occurred_at, id) WHERE customer_id IS NOT NULL`);
    }
  },
};
