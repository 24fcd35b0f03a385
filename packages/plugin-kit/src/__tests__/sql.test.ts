/**
 * The order-worth expression on a real SQLite database (PostgreSQL runs it in the CRM and
 * insights integration tests): JSON numbers, Shopify's and WooCommerce's numeric strings, and
 * values that must count as 0 instead of failing the query.
 */
import knexFactory from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { orderValueSql } from '../sql';

describe('orderValueSql', () => {
  const db = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  afterAll(() => db.destroy());

  it('reads value, else total (number or numeric string), else 0', async () => {
    await db.schema.createTable('t', (t) => {
      t.increments('id');
      t.text('properties');
    });
    const cases: Array<[unknown, number]> = [
      [{ value: 100.25, total: '5.00' }, 100.25],
      [{ total: '908.00' }, 908],
      [{ total: 607.85 }, 607.85],
      [{ total: ' 12.5 ' }, 12.5],
      [{ total: '-3' }, -3],
      [{ value: '99' }, 0], // a string value is not a worth; no total either
      [{ total: 'n/a' }, 0],
      [{ total: null }, 0],
      [{}, 0],
    ];
    await db('t').insert(cases.map(([p]) => ({ properties: JSON.stringify(p) })));
    const rows = await db('t').orderBy('id').select(db.raw(`${orderValueSql('sqlite')} AS worth`));
    expect(rows.map((r) => Number(r.worth))).toEqual(cases.map(([, v]) => v));
  });

  it('puts no "?" in the SQL (knex would take it for a binding on PostgreSQL)', () => {
    expect(orderValueSql('postgres', 't.properties')).not.toContain('?');
    expect(orderValueSql('postgres', 't.properties')).toContain("t.properties ->> 'total'");
  });
});
