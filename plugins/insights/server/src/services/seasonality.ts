import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TOUCHPOINTS } from '../utils/constants';
import { dayOf, monthOfDay, yearMonthOfDay } from '../utils/days';
import { getService } from '../utils/get-service';
import { jsonText, orderValueSql } from '../utils/sql';

export interface CountryRank { country: string; customers: number; gmv: number }
export interface MonthRow { month: number; byCustomers: CountryRank[]; byGmv: CountryRank[] }

const TOP = 5;

/**
 * For each calendar month across all history: which countries buy (distinct customers with a
 * deal) and how much (GMV = the deals' value) — the "lead country of the month" table, the
 * month × country heat map and each country's monthly trend. Deals are few next to
 * touchpoints, so this reads them raw.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async get() {
    const knex: Knex = strapi.db.connection;
    const { client, offset } = getService(strapi, 'settings').get();
    const rows = await knex(TOUCHPOINTS)
      .select('occurred_at', 'country', 'customer_id', 'visitor_id', knex.raw(`${orderValueSql(client)} AS value`))
      .whereNotNull('country')
      .andWhere((q) => q.where('type', 'order_placed').orWhere((w) => w.where('type', 'stage_changed').andWhereRaw(`${jsonText(client, ['entity'])} = 'inquiry' AND ${jsonText(client, ['to'])} = 'won'`)));
    const cells = new Map<string, { customers: Set<string>; gmv: number }>();
    const trend = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const day = dayOf(Number(r.occurred_at), offset);
      const month = monthOfDay(day);
      const k = `${month}|${r.country}`;
      const cell = cells.get(k) ?? { customers: new Set<string>(), gmv: 0 };
      cell.customers.add(r.customer_id ?? `v:${r.visitor_id}`);
      cell.gmv += Number(r.value);
      cells.set(k, cell);
      const series = trend.get(r.country) ?? new Map<string, number>();
      series.set(yearMonthOfDay(day), (series.get(yearMonthOfDay(day)) ?? 0) + Number(r.value));
      trend.set(r.country, series);
    }
    const heatmap = [...cells.entries()].map(([k, c]) => {
      const [month, country] = k.split('|');
      return { month: Number(month), country, customers: c.customers.size, gmv: c.gmv };
    });
    const months: MonthRow[] = [];
    for (let month = 1; month <= 12; month++) {
      const here = heatmap.filter((c) => c.month === month).map(({ country, customers, gmv }) => ({ country, customers, gmv }));
      months.push({
        month,
        byCustomers: [...here].sort((a, b) => b.customers - a.customers || b.gmv - a.gmv || a.country.localeCompare(b.country)).slice(0, TOP),
        byGmv: [...here].sort((a, b) => b.gmv - a.gmv || b.customers - a.customers || a.country.localeCompare(b.country)).slice(0, TOP),
      });
    }
    const trends = [...trend.entries()].map(([country, series]) => ({ country, months: [...series.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, gmv]) => ({ month, gmv })) }));
    return { months, heatmap: heatmap.sort((a, b) => a.month - b.month || a.country.localeCompare(b.country)), trends };
  },
});
