import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Dimension } from '../queries/daily';
import { byDimension, dailyRows, sums, type Totals, totals, totalsOfRow } from '../queries/totals';
import type { Filters } from '../schemas/query';
import { SPEND_TABLE } from '../utils/constants';
import { isoOfDay } from '../utils/days';
import { getService } from '../utils/get-service';

export type { Totals };
export interface Spend { impressions: number; clicks: number; spend: number }
export const STAGES = ['impressions', 'clicks', 'visitors', 'interacting', 'leads', 'inquiries', 'deals'] as const;
export type Stage = (typeof STAGES)[number];
export interface Funnel {
  from: string;
  to: string;
  counts: Record<Stage, number | null> & { revenue: number; spend: number | null };
  /** rate of each stage from the one before it (null: no data before it) */
  rates: Partial<Record<Stage, number | null>>;
  /** the product of the stage rates, from the first stage with data */
  endToEnd: number | null;
  roi: number | null;
}


/** Stage counts, rates and ROI for a range of shop days, from the rollups or straight from raw. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const settings = () => getService(strapi, 'settings').get();

  return {
    async totals(fromDay: number, toDay: number, filters: Filters = {}, mode: 'rollup' | 'raw' = 'rollup'): Promise<Totals> {
      if (mode === 'rollup') await getService(strapi, 'rollups').catchUp();
      return totals(knex(), settings(), fromDay, toDay, mode, filters);
    },

    /** Totals per value of one dimension (a table of the dashboard), largest revenue first. */
    async by(dimension: Dimension | 'day', fromDay: number, toDay: number, filters: Filters = {}, mode: 'rollup' | 'raw' = 'rollup') {
      if (mode === 'rollup') await getService(strapi, 'rollups').catchUp();
      const cube = mode === 'rollup' && dimension !== 'day' && Object.keys(filters).length === 0;
      const base = cube ? byDimension(knex(), dimension, fromDay, toDay) : dailyRows(knex(), settings(), fromDay, toDay, mode, filters, dimension !== 'day').select(dimension, ...sums(knex())).groupBy(dimension);
      const rows = await base.orderBy(dimension === 'day' ? 'day' : 'revenue', dimension === 'day' ? 'asc' : 'desc');
      return rows.map((r: Record<string, unknown>) => ({ ...(dimension === 'day' ? { day: isoOfDay(Number(r.day)) } : { [dimension]: String(r[dimension] ?? '') }), ...totalsOfRow(r) }));
    },

    /** Imported spend, which only knows source, medium and campaign: null when sliced by anything else. */
    async spend(fromDay: number, toDay: number, filters: Filters = {}): Promise<Spend | null> {
      if (filters.country !== undefined || filters.device !== undefined || filters.site !== undefined) return null;
      const qb = knex()(SPEND_TABLE).whereBetween('day', [fromDay, toDay]);
      for (const dim of ['source', 'medium', 'campaign'] as const) if (filters[dim] !== undefined) qb.where(dim, filters[dim] as string);
      const row = await qb.select(knex().raw('COUNT(*) AS n, COALESCE(SUM(impressions), 0) AS impressions, COALESCE(SUM(clicks), 0) AS clicks, COALESCE(SUM(spend), 0) AS spend')).first();
      if (!row || Number(row.n) === 0) return null;
      return { impressions: Number(row.impressions), clicks: Number(row.clicks), spend: Number(row.spend) };
    },

    async funnel(fromDay: number, toDay: number, filters: Filters = {}, mode: 'rollup' | 'raw' = 'rollup'): Promise<Funnel> {
      const [t, s] = await Promise.all([this.totals(fromDay, toDay, filters, mode), this.spend(fromDay, toDay, filters)]);
      return buildFunnel(isoOfDay(fromDay), isoOfDay(toDay), t, s);
    },
  };
};

export function buildFunnel(from: string, to: string, t: Totals, s: Spend | null): Funnel {
  const counts = {
    impressions: s ? s.impressions : null,
    clicks: s ? s.clicks : null,
    visitors: t.visitors,
    interacting: t.interacting,
    leads: t.leads,
    inquiries: t.inquiries,
    deals: t.deals,
    revenue: t.revenue,
    spend: s ? s.spend : null,
  };
  const rates: Funnel['rates'] = {};
  let endToEnd: number | null = null;
  for (let i = 1; i < STAGES.length; i++) {
    const before = counts[STAGES[i - 1]];
    const here = counts[STAGES[i]];
    const rate = before === null || here === null || before === 0 ? null : here / before;
    rates[STAGES[i]] = rate;
    if (rate !== null) endToEnd = (endToEnd ?? 1) * rate;
    else if (before !== null && before === 0) endToEnd = null;
  }
  return { from, to, counts, rates, endToEnd, roi: s && s.spend > 0 ? t.revenue / s.spend : null };
}
