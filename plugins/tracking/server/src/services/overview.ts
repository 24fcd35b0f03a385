import type { Core } from '@strapi/strapi';
import { TOUCHPOINTS_TABLE } from '../utils/constants';
import { getService } from '../utils/get-service';

const DAY_MS = 86_400_000;

/** What a store owner checks after installing: the snippet per site, and events arriving. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async get() {
    const knex = strapi.db.connection;
    const since = Date.now() - DAY_MS;
    const byType = (await knex(TOUCHPOINTS_TABLE)
      .where('occurred_at', '>=', since)
      .groupBy('type')
      .select('type')
      .count({ n: '*' })) as Array<{ type: string; n: number | string }>;
    const bySource = (await knex(TOUCHPOINTS_TABLE)
      .where('occurred_at', '>=', since)
      .andWhere('type', 'page_view')
      .groupBy('source_channel')
      .select('source_channel')
      .count({ n: '*' })) as Array<{ source_channel: string | null; n: number | string }>;
    const recent = await knex(TOUCHPOINTS_TABLE)
      .orderBy('id', 'desc')
      .limit(25)
      .select('id', 'occurred_at', 'type', 'channel', 'path', 'country', 'device', 'source_channel', 'customer_id', 'visitor_id');
    return {
      sites: getService(strapi, 'sites').list(),
      last24h: {
        byType: byType.map((r) => ({ type: r.type, count: Number(r.n) })).sort((a, b) => b.count - a.count),
        bySource: bySource.map((r) => ({ source: r.source_channel ?? 'direct', count: Number(r.n) })).sort((a, b) => b.count - a.count),
      },
      recent: recent.map((r: Record<string, unknown>) => ({ ...r, occurred_at: new Date(Number(r.occurred_at)).toISOString() })),
      collector: getService(strapi, 'collector').stats(),
    };
  },
});
