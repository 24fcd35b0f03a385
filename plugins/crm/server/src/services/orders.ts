/**
 * A customer's order totals — ordersCount, totalSpent, firstOrderAt, lastOrderAt and currency —
 * recomputed from their `order_placed` touchpoints (Shopify, WooCommerce, the server-side API)
 * after each one is stored and after a merge. Recomputing instead of incrementing makes a
 * replayed webhook, a late backfill or two processes seeing the same order give the same numbers.
 * Tiers, segments, the milestone flow ("5th order") and first-order anniversaries read them.
 *
 * The total adds order worths as they came (`orderValueSql`); a shop selling in several
 * currencies gets a sum across them, and `currency` is the newest order's.
 */
import type { CrmOrders } from '@moat/contracts';
import { clientOf, orderValueSql } from '@moat/plugin-kit';
import type { Core } from '@strapi/strapi';
import { CUSTOMER_UID } from '../utils/constants';

const TOUCHPOINTS = 'moat_touchpoints';
/** customers per aggregate query (one stored batch rarely holds more than a few orders) */
const CHUNK = 500;
const CURRENCY = /^[A-Z]{3}$/;

interface Totals {
  customer_id: string;
  n: unknown;
  spent: unknown;
  first: unknown;
  last: unknown;
}

export default ({ strapi }: { strapi: Core.Strapi }): CrmOrders => {
  const knex = () => strapi.db.connection;

  async function newestCurrency(customerId: string): Promise<string | null> {
    const column = clientOf(knex()) === 'postgres' ? "properties ->> 'currency'" : "json_extract(properties, '$.currency')";
    const row = (await knex()(TOUCHPOINTS)
      .where({ customer_id: customerId, type: 'order_placed' })
      .orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .first(knex().raw(`${column} AS currency`))) as { currency?: unknown } | undefined;
    const code = typeof row?.currency === 'string' ? row.currency.trim().toUpperCase() : '';
    return CURRENCY.test(code) ? code : null;
  }

  return {
    async refresh(customerIds: string[]): Promise<number> {
      const ids = [...new Set(customerIds.filter((id) => typeof id === 'string' && id.length > 0))];
      if (ids.length === 0 || !(await knex().schema.hasTable(TOUCHPOINTS))) return 0;
      const client = clientOf(knex());
      let updated = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const rows = (await knex()(TOUCHPOINTS)
          .where('type', 'order_placed')
          .whereIn('customer_id', chunk)
          .groupBy('customer_id')
          .select('customer_id', knex().raw('COUNT(*) AS n'), knex().raw(`SUM(${orderValueSql(client)}) AS spent`), knex().raw('MIN(occurred_at) AS first'), knex().raw('MAX(occurred_at) AS last'))) as Totals[];
        const byCustomer = new Map(rows.map((r) => [r.customer_id, r]));
        for (const id of chunk) {
          const t = byCustomer.get(id);
          // a customer whose orders all moved away (a merge) goes back to none
          const data = t
            ? {
                ordersCount: Number(t.n),
                totalSpent: Math.round(Number(t.spent ?? 0) * 100) / 100,
                firstOrderAt: new Date(Number(t.first)),
                lastOrderAt: new Date(Number(t.last)),
                ...(await newestCurrency(id).then((currency) => (currency ? { currency } : {}))),
              }
            : { ordersCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null };
          const res = (await strapi.db.query(CUSTOMER_UID).updateMany({ where: { documentId: id }, data })) as { count?: number };
          if (Number(res?.count ?? 0) > 0) updated += 1;
        }
      }
      return updated;
    },
  };
};
