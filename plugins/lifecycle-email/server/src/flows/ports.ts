import type { Catalog, CrmOrders, StoredTouchpoint } from '@moat/contracts';
import type { Core } from '@strapi/strapi';

/**
 * What flows read from the other contexts: CRM customers, inquiries and segments, the
 * touchpoint store and the product catalog. Each may be absent (plugin disabled): a flow then
 * sees no customer (no send), no touchpoints and no product names.
 */
const CUSTOMER_UID = 'plugin::crm.customer';
const INQUIRY_UID = 'plugin::crm.inquiry';
const SEGMENT_UID = 'plugin::crm.segment';
const TOUCHPOINTS = 'moat_touchpoints';

export type Customer = Record<string, unknown> & { documentId: string; email?: string | null; name?: string | null; timeZone?: string | null; language?: string | null };

export interface CartItem {
  title: string;
  quantity: number;
  url?: string;
}

const hasType = (strapi: Core.Strapi, uid: string) => Boolean((strapi.contentTypes as Record<string, unknown>)[uid]);

export function flowPorts(strapi: Core.Strapi) {
  const knex = () => strapi.db.connection;
  return {
    async customer(documentId: string): Promise<Customer | null> {
      if (!hasType(strapi, CUSTOMER_UID)) return null;
      return (await strapi.documents(CUSTOMER_UID as never).findOne({ documentId } as never)) as Customer | null;
    },

    /** Customers whose date field is set, with their time zone, a page at a time (date triggers). */
    async customersWith(field: string, afterId: number, limit: number): Promise<Array<{ id: number; documentId: string; value: unknown; timeZone: string | null }>> {
      if (!hasType(strapi, CUSTOMER_UID)) return [];
      const meta = strapi.db.metadata.get(CUSTOMER_UID as never) as { tableName: string; attributes: Record<string, { columnName?: string; type?: string }> };
      if (!meta.attributes[field]) return [];
      const column = meta.attributes[field].columnName ?? field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const zone = meta.attributes.timeZone ? (meta.attributes.timeZone.columnName ?? 'time_zone') : null;
      // a calendar date (a birthday) as its 'YYYY-MM-DD' text: the pg driver would hand back a
      // Date at the server's midnight, and the day would shift in the customer's zone
      const value = meta.attributes[field].type === 'date' ? knex().raw('CAST(?? AS TEXT) AS value', [column]) : `${column} as value`;
      const rows = await knex()(meta.tableName)
        .select('id', 'document_id', value, ...(zone ? [`${zone} as time_zone`] : []))
        .whereNotNull(column)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit);
      return rows.map((r: Record<string, unknown>) => ({ id: Number(r.id), documentId: String(r.document_id), value: r.value, timeZone: (r.time_zone as string | null) ?? null }));
    },

    async countTouchpoints(customerId: string, types: readonly string[], sinceMs: number): Promise<number> {
      if (!(await knex().schema.hasTable(TOUCHPOINTS))) return 0;
      const [row] = await knex()(TOUCHPOINTS).where('customer_id', customerId).whereIn('type', [...types]).where('occurred_at', '>=', sinceMs).count({ n: '*' });
      return Number((row as { n: unknown }).n);
    },

    /**
     * Touchpoints after `afterId` in id order, with the customer their visitor was linked to
     * when the row has none (the trigger catch-up reads what the live jobs carried).
     */
    async touchpointsAfter(afterId: number, limit: number, types: ReadonlySet<string>): Promise<Array<StoredTouchpoint & { id: number; receivedAt: number }>> {
      if (!(await knex().schema.hasTable(TOUCHPOINTS))) return [];
      // every row moves the cursor, but only the types some flow follows need their properties
      // (most of the store is page views: reading and parsing theirs was the catch-up's cost)
      const wanted = [...types];
      const properties = wanted.length
        ? knex().raw(`CASE WHEN t.type IN (${wanted.map(() => '?').join(', ')}) THEN t.properties END AS properties`, wanted)
        : knex().raw('NULL AS properties');
      const rows = await knex()(`${TOUCHPOINTS} as t`)
        .leftJoin('moat_visitors as v', 'v.visitor_id', 't.visitor_id')
        .select('t.id', 't.type', 't.occurred_at', 't.received_at', properties, 't.site', 't.dedupe_key', 't.visitor_id', 't.channel', 't.url', knex().raw('COALESCE(t.customer_id, v.customer_id) AS customer_id'))
        .where('t.id', '>', afterId)
        .orderBy('t.id')
        .limit(limit);
      return rows.map((r: Record<string, unknown>) => ({
        id: Number(r.id),
        type: r.type as StoredTouchpoint['type'],
        customerId: (r.customer_id as string | null) ?? null,
        visitorId: (r.visitor_id as string | null) ?? null,
        occurredAt: Number(r.occurred_at),
        receivedAt: Number(r.received_at),
        properties: typeof r.properties === 'string' ? (JSON.parse(r.properties) as Record<string, unknown>) : ((r.properties as Record<string, unknown> | null) ?? {}),
        dedupeKey: (r.dedupe_key as string | null) ?? null,
        site: (r.site as string | null) ?? null,
        channel: r.channel as string,
        url: (r.url as string | null) ?? null,
      }));
    },

    /** The highest touchpoint id (0 for an empty or missing store). */
    async lastTouchpointId(): Promise<number> {
      if (!(await knex().schema.hasTable(TOUCHPOINTS))) return 0;
      const [row] = await knex()(TOUCHPOINTS).max({ max: 'id' });
      return Number((row as { max: unknown } | undefined)?.max ?? 0);
    },

    /**
     * Brings a buyer's order totals up to date before a condition reads them: CRM recomputes
     * them from the store after each order too, but on its own listener, so "the 5th order"
     * could otherwise be judged on the 4th. Idempotent.
     */
    async refreshOrders(customerId: string): Promise<void> {
      if (!hasType(strapi, CUSTOMER_UID)) return;
      await (strapi.plugin('crm').service('orders') as CrmOrders).refresh([customerId]);
    },

    /** Which order of the customer this one is (1 for the first), by time, then by id. */
    async orderNumber(customerId: string, order: { id?: number | null; occurredAt: number }): Promise<number> {
      if (!(await knex().schema.hasTable(TOUCHPOINTS))) return 0;
      const [row] = await knex()(TOUCHPOINTS)
        .where({ customer_id: customerId, type: 'order_placed' })
        .andWhere((q) => {
          q.where('occurred_at', '<', order.occurredAt);
          // a row recorded on its own carries no id: then every order of that same instant counts
          if (order.id != null) q.orWhere((w) => w.where('occurred_at', order.occurredAt).andWhere('id', '<=', order.id as number));
          else q.orWhere('occurred_at', order.occurredAt);
        })
        .count({ n: '*' });
      return Number((row as { n: unknown }).n);
    },

    async inquiryStatus(documentId: string): Promise<string | null> {
      if (!hasType(strapi, INQUIRY_UID)) return null;
      const row = (await strapi.documents(INQUIRY_UID as never).findOne({ documentId, fields: ['status'] } as never)) as { status?: string } | null;
      return row?.status ?? null;
    },

    /** Whether the customer matches a CRM segment's rules now (one indexed lookup, not a member scan). */
    async inSegment(customerId: string, segmentId: string): Promise<boolean> {
      if (!hasType(strapi, SEGMENT_UID)) return false;
      const segment = (await strapi.documents(SEGMENT_UID as never).findOne({ documentId: segmentId } as never)) as { rules?: unknown } | null;
      if (!segment) return false;
      const table = (strapi.db.metadata.get(CUSTOMER_UID as never) as { tableName: string }).tableName;
      const qb = knex()(`${table} as c`).where('c.document_id', customerId).count({ n: '*' });
      (strapi.plugin('crm').service('segments') as { applyTo(qb: unknown, rules: unknown, alias: string): unknown }).applyTo(qb, segment.rules, 'c');
      const [row] = await qb;
      return Number((row as { n: unknown }).n) > 0;
    },

    /**
     * The cart a customer built, by product name: cart_add items (title from the event, else the
     * catalog by variant, then by product), merged by product, cart_clear empties it.
     */
    async cartItems(events: Array<Pick<StoredTouchpoint, 'type' | 'properties'> & { site?: string | null }>): Promise<CartItem[]> {
      type Raw = { variant_id?: unknown; product_id?: unknown; quantity?: unknown; title?: unknown; product?: { title?: unknown } };
      let raw: Array<{ item: Raw; site: string | null }> = [];
      for (const e of events) {
        if (e.type === 'cart_clear') raw = [];
        const items = (Array.isArray(e.properties?.items) ? (e.properties.items as Raw[]) : []).slice(0, 50).filter((i) => i && typeof i === 'object');
        if (e.type === 'cart_remove') {
          // a removed line takes its product out (by variant, else by product id)
          const same = (a: Raw, b: Raw) => (a.variant_id != null && String(a.variant_id) === String(b.variant_id)) || (a.product_id != null && String(a.product_id) === String(b.product_id));
          raw = raw.filter((r) => !items.some((i) => same(i, r.item)));
        }
        if (e.type === 'cart_add') for (const item of items) raw.push({ item, site: e.site ?? null });
      }
      const catalog = strapi.plugin('tracking')?.service('catalog') as Catalog | undefined;
      const ids = (k: 'variant_id' | 'product_id') => [...new Set(raw.map((r) => r.item[k]).filter((v) => v != null).map(String))];
      const byVariant = catalog && ids('variant_id').length ? await catalog.byVariantIds(null, ids('variant_id')) : new Map();
      const byProduct = catalog && ids('product_id').length ? await catalog.byKeys(null, ids('product_id')) : new Map();
      const merged = new Map<string, CartItem>();
      for (const { item } of raw) {
        const variant = item.variant_id != null ? byVariant.get(String(item.variant_id)) : undefined;
        const product = variant?.product ?? (item.product_id != null ? byProduct.get(String(item.product_id)) : undefined);
        const title = String(item.title ?? item.product?.title ?? product?.title ?? '').trim();
        if (!title) continue;
        const key = String(product?.key ?? item.product_id ?? title);
        const quantity = Math.max(1, Math.trunc(Number(item.quantity) || 1));
        const prev = merged.get(key);
        merged.set(key, { title, quantity: (prev?.quantity ?? 0) + quantity, ...(product?.url ? { url: product.url } : {}) });
      }
      return [...merged.values()].slice(0, 20);
    },
  };
}

export type FlowPorts = ReturnType<typeof flowPorts>;
