import type { Knex } from 'knex';

export const clientOf = (knex: Knex): 'sqlite' | 'postgres' =>
  /sqlite/.test(String((knex.client as { config?: { client?: unknown } }).config?.client ?? '')) ? 'sqlite' : 'postgres';

/** Inserted rows (knex returning): 1 when the row is new, 0 when the key existed. */
export const insertedCount = (rows: unknown) => (Array.isArray(rows) ? rows.length : 0);
