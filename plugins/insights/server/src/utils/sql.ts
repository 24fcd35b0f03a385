import type { Knex } from 'knex';

/** an order's (or a won deal's) worth: `value`, else Shopify's and WooCommerce's string `total` */
export { orderValueSql } from '@moat/plugin-kit';

export type Client = 'sqlite' | 'postgres';
export const clientOf = (knex: Knex): Client => {
  const c = String(knex.client.config.client);
  return c === 'pg' || c === 'postgres' ? 'postgres' : 'sqlite';
};

/** A JSON property as text (NULL when absent). Keys are constants of this plugin, never input. */
export const jsonText = (client: Client, path: string[]) =>
  client === 'postgres'
    ? `(properties #>> '{${path.join(',')}}')`
    : `json_extract(properties, '$.${path.join('.')}')`;

/**
 * A JSON property as a number; 0 when it is absent or not a JSON number, so one malformed
 * value another channel wrote cannot fail a whole dashboard query.
 */
export const jsonNumber = (client: Client, path: string[]) =>
  client === 'postgres'
    ? `(CASE WHEN jsonb_typeof(properties #> '{${path.join(',')}}') = 'number' THEN (properties #>> '{${path.join(',')}}')::float8 ELSE 0 END)`
    : `(CASE WHEN json_type(properties, '$.${path.join('.')}') IN ('integer', 'real') THEN json_extract(properties, '$.${path.join('.')}') ELSE 0 END)`;

/**
 * The shop day of an epoch-ms column, with the zone offset as the one binding. CAST: SQLite
 * binds JS numbers as REAL, which would turn the division into a fraction.
 */
export const dayExpr = (column: string) => `CAST((${column} + ?) / ${86_400_000} AS INTEGER)`;
