import { z } from 'zod';
import { DIMENSIONS } from '../queries/daily';
import { dayFromIso } from '../utils/days';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar date');
const dim = z.string().max(128).optional();

/** ?from=YYYY-MM-DD&to=YYYY-MM-DD (shop days, both included) plus optional slice filters. */
export const funnelQuerySchema = (maxDays: number) =>
  z
    .object({
      from: isoDay,
      to: isoDay,
      baseline: z.enum(['previous', 'trailing4w']).optional(),
      source: dim,
      medium: dim,
      campaign: dim,
      country: dim,
      device: dim,
      site: dim,
      mode: z.enum(['rollup', 'raw']).optional(),
    })
    .strict()
    .superRefine((q, ctx) => {
      const from = dayFromIso(q.from);
      const to = dayFromIso(q.to);
      if (from > to) ctx.addIssue({ code: 'custom', path: ['from'], message: `the range is reversed: from ${q.from} is after to ${q.to}` });
      else if (to - from + 1 > maxDays) ctx.addIssue({ code: 'custom', path: ['to'], message: `the range is ${to - from + 1} days long; at most ${maxDays}` });
    });

export type FunnelQuery = z.infer<ReturnType<typeof funnelQuerySchema>>;
export type Filters = Partial<Record<(typeof DIMENSIONS)[number], string>>;

export const filtersOf = (q: FunnelQuery): Filters => Object.fromEntries(DIMENSIONS.filter((d) => q[d] !== undefined).map((d) => [d, q[d]]));
