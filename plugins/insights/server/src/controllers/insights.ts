import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { type FunnelQuery, filtersOf, funnelQuerySchema } from '../schemas/query';
import { dayFromIso } from '../utils/days';
import { getService } from '../utils/get-service';

type StrapiCtx = Context & { badRequest(message: string): void };

const describe = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.slice(0, 5).map((i) => `${i.path.length ? i.path.map(String).join('.') : 'query'}: ${i.message}`).join('; ');

/** Thin controllers: validate the range and slice, hand over to the services. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const range = (ctx: StrapiCtx): { q: FunnelQuery; from: number; to: number } | null => {
    const parsed = funnelQuerySchema(getService(strapi, 'settings').get().maxRangeDays).safeParse(ctx.query);
    if (!parsed.success) {
      ctx.badRequest(describe(parsed.error.issues));
      return null;
    }
    return { q: parsed.data, from: dayFromIso(parsed.data.from), to: dayFromIso(parsed.data.to) };
  };

  return {
    async funnel(ctx: StrapiCtx) {
      const r = range(ctx);
      if (r) ctx.body = await getService(strapi, 'funnel').funnel(r.from, r.to, filtersOf(r.q), r.q.mode ?? 'rollup');
    },

    async alert(ctx: StrapiCtx) {
      const r = range(ctx);
      if (r) ctx.body = await getService(strapi, 'alert').check(r.from, r.to, r.q.baseline ?? 'previous', filtersOf(r.q));
    },

    async sources(ctx: StrapiCtx) {
      const r = range(ctx);
      if (r) ctx.body = await getService(strapi, 'attribution').get(r.from, r.to);
    },

    async seasonality(ctx: StrapiCtx) {
      ctx.body = await getService(strapi, 'seasonality').get();
    },

    async questions(ctx: StrapiCtx) {
      const r = range(ctx);
      if (r) ctx.body = await getService(strapi, 'questions').get(r.from, r.to);
    },

    /** Everything the dashboard shows for one range, in one call. */
    async dashboard(ctx: StrapiCtx) {
      const r = range(ctx);
      if (!r) return;
      const filters = filtersOf(r.q);
      const funnel = getService(strapi, 'funnel');
      const [summary, alert, trend, bySource, byCountry, byDevice, sources, seasonality, questions] = await Promise.all([
        funnel.funnel(r.from, r.to, filters),
        getService(strapi, 'alert').check(r.from, r.to, r.q.baseline ?? 'previous', filters),
        funnel.by('day', r.from, r.to, filters),
        funnel.by('source', r.from, r.to, filters),
        funnel.by('country', r.from, r.to, filters),
        funnel.by('device', r.from, r.to, filters),
        getService(strapi, 'attribution').get(r.from, r.to),
        getService(strapi, 'seasonality').get(),
        getService(strapi, 'questions').get(r.from, r.to),
      ]);
      const { timezone } = getService(strapi, 'settings').get();
      ctx.body = { timezone, funnel: summary, alert, trend, bySource, byCountry, byDevice, sources, seasonality, questions };
    },

    async rebuild(ctx: StrapiCtx) {
      ctx.body = await getService(strapi, 'rollups').rebuild();
    },

    async digest(ctx: StrapiCtx) {
      const { sent, alert } = await getService(strapi, 'digest').send();
      ctx.body = { sent, weakest: alert.weakest };
    },
  };
};
