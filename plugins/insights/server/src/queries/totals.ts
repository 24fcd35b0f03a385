import type { Knex } from 'knex';
import type { Filters } from '../schemas/query';
import { CUBE_TABLE, DIRTY_TABLE, ROLLUP_TABLE, TOUCHPOINTS } from '../utils/constants';
import { dayStart } from '../utils/days';
import type { Client } from '../utils/sql';
import { DIMENSIONS, dailySql, METRICS, type Metric } from './daily';

export type Totals = Record<Metric, number>;
export interface QueryContext { client: Client; offset: number; engagedMs: number }
const COLUMNS = 'day, site, source, medium, campaign, country, device, visitors, interacting, leads, inquiries, deals, revenue';

/** The rows to sum for shop days [fromDay, toDay]: the rollup table, or the same aggregate from raw touchpoints. */
export function dailyRows(knex: Knex, ctx: QueryContext, fromDay: number, toDay: number, mode: 'rollup' | 'raw', filters: Filters = {}, perSlice = false) {
  let qb: Knex.QueryBuilder;
  const sliced = Object.entries(filters);
  // no slice or one, and no other column wanted: the per-dimension totals (tens of rows a day instead of thousands)
  if (mode === 'rollup' && sliced.length <= 1 && !perSlice) {
    const [dim, value] = sliced[0] ?? ['', ''];
    return knex(CUBE_TABLE).whereBetween('day', [fromDay, toDay]).andWhere({ dim, value: value ?? '' });
  }
  if (mode === 'rollup') qb = knex(ROLLUP_TABLE).whereBetween('day', [fromDay, toDay]);
  else {
    const q = dailySql(ctx.client, ctx.offset, ctx.engagedMs);
    qb = knex.from(knex.raw(`(${q.sql}) raw_daily`, q.bindings(dayStart(fromDay, ctx.offset), dayStart(toDay + 1, ctx.offset))));
  }
  for (const [dim, value] of sliced) qb.where(dim, value ?? '');
  return qb;
}

/** Totals per value of one dimension over a range, from the per-dimension rollup. */
export function byDimension(knex: Knex, dim: string, fromDay: number, toDay: number) {
  return knex(CUBE_TABLE).whereBetween('day', [fromDay, toDay]).andWhere({ dim }).select(knex.raw('value AS ??', [dim]), ...sums(knex)).groupBy('value');
}

const METRIC_SUMS = METRICS.map((m) => `SUM(${m})`).join(', ');
/** Refills the per-dimension rollup of days [first, last] from the daily rollup rows. */
async function refreshCube(trx: Knex.Transaction, first: number, last: number) {
  await trx(CUBE_TABLE).whereBetween('day', [first, last]).delete();
  const parts = [`SELECT day, '' AS dim, '' AS value, ${METRIC_SUMS} FROM ${ROLLUP_TABLE} WHERE day BETWEEN ? AND ? GROUP BY day`];
  for (const d of DIMENSIONS) parts.push(`SELECT day, '${d}', ${d}, ${METRIC_SUMS} FROM ${ROLLUP_TABLE} WHERE day BETWEEN ? AND ? GROUP BY day, ${d}`);
  await trx.raw(`INSERT INTO ${CUBE_TABLE} (day, dim, value, ${METRICS.join(', ')}) ${parts.join(' UNION ALL ')}`, parts.flatMap(() => [first, last]));
}

export const sums = (knex: Knex) => METRICS.map((m) => knex.raw(`COALESCE(SUM(${m}), 0) AS ${m}`));
export const totalsOfRow = (row: Record<string, unknown> | undefined): Totals => Object.fromEntries(METRICS.map((m) => [m, Number(row?.[m] ?? 0)])) as Totals;

/** Every stage's total for a range and slice. */
export async function totals(knex: Knex, ctx: QueryContext, fromDay: number, toDay: number, mode: 'rollup' | 'raw', filters: Filters = {}): Promise<Totals> {
  return totalsOfRow(await dailyRows(knex, ctx, fromDay, toDay, mode, filters).select(sums(knex)).first());
}

/** The aggregate rows of shop days [first, last], as a read-only statement (see replaceDays). */
export function aggregateOf(ctx: QueryContext, first: number, last: number): { sql: string; bindings: unknown[] } {
  const q = dailySql(ctx.client, ctx.offset, ctx.engagedMs);
  return { sql: `SELECT ${COLUMNS} FROM (${q.sql}) agg`, bindings: q.bindings(dayStart(first, ctx.offset), dayStart(last + 1, ctx.offset)) };
}

/** Puts aggregate rows computed elsewhere (aggregateOf, off the event loop) in place of days [first, last]. */
export async function replaceDays(trx: Knex.Transaction, first: number, last: number, rows: Record<string, unknown>[]) {
  await trx(ROLLUP_TABLE).whereBetween('day', [first, last]).delete();
  // 13 columns: 500 rows stay far under SQLite's bound-parameter limit
  for (let i = 0; i < rows.length; i += 500) await trx(ROLLUP_TABLE).insert(rows.slice(i, i + 500));
  await refreshCube(trx, first, last);
}

/** Recomputes shop days [first, last] of the rollups from raw (delete, then insert the aggregate). */
export async function recomputeDays(trx: Knex.Transaction, ctx: QueryContext, first: number, last: number) {
  const agg = aggregateOf(ctx, first, last);
  await trx(ROLLUP_TABLE).whereBetween('day', [first, last]).delete();
  await trx.raw(`INSERT INTO ${ROLLUP_TABLE} (${COLUMNS}) ${agg.sql}`, agg.bindings);
  await refreshCube(trx, first, last);
}

/** Throws the rollups away and recomputes every day; returns the highest touchpoint id covered. */
export async function rebuildAll(trx: Knex.Transaction, ctx: QueryContext): Promise<number> {
  const bounds = await trx(TOUCHPOINTS).min('occurred_at as lo').max('occurred_at as hi').max('id as id').first();
  await trx(ROLLUP_TABLE).delete();
  await trx(CUBE_TABLE).delete();
  await trx(DIRTY_TABLE).delete();
  if (bounds?.lo != null) {
    const q = dailySql(ctx.client, ctx.offset, ctx.engagedMs);
    await trx.raw(`INSERT INTO ${ROLLUP_TABLE} (${COLUMNS}) SELECT ${COLUMNS} FROM (${q.sql}) agg`, q.bindings(Number(bounds.lo), Number(bounds.hi) + 1));
    const days = await trx(ROLLUP_TABLE).min('day as lo').max('day as hi').first();
    await refreshCube(trx, Number(days?.lo), Number(days?.hi));
  }
  return Number(bounds?.id ?? 0);
}
