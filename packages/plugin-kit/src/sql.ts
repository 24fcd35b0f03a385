import type { DatabaseClient } from './migrations';

/**
 * What an `order_placed` touchpoint was worth, as an SQL number: `properties.value` when it is a
 * JSON number (the server-side API and the tracker write it), else `properties.total` as a
 * number or a numeric string (Shopify and WooCommerce send their totals as strings), else 0.
 * Every reader of order worth (CRM order totals, insights revenue, campaign reports) uses this
 * one expression, so a Shopify order is worth the same on every screen.
 *
 * `column` names the JSON column (a constant of the caller, never input). No "?" in the SQL:
 * knex would read it as a binding on PostgreSQL.
 */
export function orderValueSql(client: DatabaseClient, column = 'properties'): string {
  if (client === 'postgres') {
    const numeric = (key: string) => `(${column} ->> '${key}') ~ '^\\s*-{0,1}[0-9]+(\\.[0-9]+){0,1}\\s*$'`;
    return `(CASE WHEN jsonb_typeof(${column} -> 'value') = 'number' THEN (${column} ->> 'value')::float8
      WHEN jsonb_typeof(${column} -> 'total') = 'number' THEN (${column} ->> 'total')::float8
      WHEN jsonb_typeof(${column} -> 'total') = 'string' AND ${numeric('total')} THEN (${column} ->> 'total')::float8
      ELSE 0 END)`;
  }
  return `(CASE WHEN json_type(${column}, '$.value') IN ('integer', 'real') THEN json_extract(${column}, '$.value')
      WHEN json_type(${column}, '$.total') IN ('integer', 'real') THEN json_extract(${column}, '$.total')
      WHEN json_type(${column}, '$.total') = 'text' THEN CAST(json_extract(${column}, '$.total') AS REAL)
      ELSE 0 END)`;
}
