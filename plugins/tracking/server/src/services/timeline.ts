import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { fromRow, type Touchpoint, type TouchpointRow } from '../store/rows';
import { PLUGIN_ID, TOUCHPOINTS_TABLE } from '../utils/constants';
import type { Catalog } from '@moat/contracts';
import { isSqlite } from '../utils/db';

export interface TimelineQuery {
  limit?: number;
  /** opaque cursor from a previous page's `nextCursor` */
  cursor?: string | null;
  types?: string[];
  channels?: string[];
}

export interface TimelinePage {
  items: Touchpoint[];
  nextCursor: string | null;
}

export const TIMELINE_MAX_LIMIT = 200;

export class CursorError extends Error {}

/** Keyset cursor over (occurred_at, id): stable under concurrent inserts, O(page) per page. */
export const encodeCursor = (occurredAt: number, id: number) => Buffer.from(`${occurredAt}:${id}`).toString('base64url');
export function decodeCursor(cursor: string): { t: number; id: number } {
  const match = /^(\d{1,16}):(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new CursorError('cursor is not one this API returned');
  return { t: Number(match[1]), id: Number(match[2]) };
}

/** a filter with more values than this reads the customer index instead of one range per value */
const MAX_FILTER_RANGES = 10;

/**
 * One customer's journey, newest first. Unfiltered: one range scan on (customer_id,
 * occurred_at). Filtered by type (or else channel): one range per value on (customer_id,
 * type|channel, occurred_at, id), each read to at most a page, merged here; a filter then
 * costs the same whether it matches most of the history or almost none of it.
 * Works on a bare knex so benchmarks measure exactly the query the app runs.
 */
export async function timelinePage(knex: Knex, customerId: string, query: TimelineQuery = {}): Promise<TimelinePage> {
  const limit = Math.min(Math.max(1, query.limit ?? 50), TIMELINE_MAX_LIMIT);
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const types = query.types?.length ? [...new Set(query.types)] : null;
  const channels = query.channels?.length ? [...new Set(query.channels)] : null;
  // SQLite's planner would pick (type, occurred_at) for a type filter and scan every customer's
  // rows of that type (27 ms at 1M rows): name the index it must use
  const from = (index: string) => (isSqlite(knex) ? knex.raw('?? INDEXED BY ??', [TOUCHPOINTS_TABLE, index]) : TOUCHPOINTS_TABLE);
  const read = (index: string, where: (q: Knex.QueryBuilder) => void) => {
    const q = knex<TouchpointRow>(from(index) as string).where('customer_id', customerId);
    where(q);
    if (after) q.andWhere((w) => w.where('occurred_at', '<', after.t).orWhere((e) => e.where('occurred_at', '=', after.t).andWhere('id', '<', after.id)));
    return q.orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1) as Promise<TouchpointRow[]>;
  };
  let rows: TouchpointRow[];
  if (types && types.length <= MAX_FILTER_RANGES) {
    const parts = await Promise.all(
      types.map((type) =>
        read('moat_tp_customer_type_time', (q) => {
          q.where('type', type);
          if (channels) q.whereIn('channel', channels);
        }),
      ),
    );
    rows = newestFirst(parts.flat()).slice(0, limit + 1);
  } else if (!types && channels && channels.length <= MAX_FILTER_RANGES) {
    const parts = await Promise.all(channels.map((channel) => read('moat_tp_customer_channel_time', (q) => q.where('channel', channel))));
    rows = newestFirst(parts.flat()).slice(0, limit + 1);
  } else {
    rows = await read('moat_tp_customer_time', (q) => {
      if (types) q.whereIn('type', types);
      if (channels) q.whereIn('channel', channels);
    });
  }
  const page = rows.slice(0, limit).map(fromRow);
  const last = rows.length > limit ? rows[limit - 1] : null;
  return { items: page, nextCursor: last ? encodeCursor(Number(last.occurred_at), Number(last.id)) : null };
}

/** the order every timeline page has: occurred_at, then id, both descending */
const newestFirst = (rows: TouchpointRow[]) =>
  rows.sort((a, b) => Number(b.occurred_at) - Number(a.occurred_at) || Number(b.id) - Number(a.id));

/** A product line as the timeline shows it: "Industrial Widget × 2, €1,299.00". */
export interface ProductLine {
  key?: string;
  variantId?: string;
  title: string;
  quantity?: number;
  /** quantity × unit price, when the catalog knows the price */
  amount?: number;
  currency?: string;
  text: string;
}
export type TimelineItem = Touchpoint & { products?: ProductLine[]; summary?: string };

const money = (amount: number, currency: string) => {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
};
export function lineText(line: Omit<ProductLine, 'text'>): string {
  let text = line.title;
  if (line.quantity !== undefined) text += ` × ${line.quantity}`;
  if (line.amount !== undefined && line.currency) text += `, ${money(line.amount, line.currency)}`;
  return text;
}

const idOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
const asObject = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** A page of the timeline with product and variant ids resolved to names from the catalog. */
  async list(customerId: string, query: TimelineQuery = {}): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
    const page = await timelinePage(strapi.db.connection, customerId, query);
    const keys: string[] = [];
    const variantIds: string[] = [];
    for (const item of page.items) {
      const p = asObject(item.properties.product);
      const key = idOf(p?.id ?? p?.key) ?? idOf(p?.handle);
      if (key) keys.push(key);
      for (const line of Array.isArray(item.properties.items) ? item.properties.items : []) {
        const v = idOf(asObject(line)?.variant_id);
        if (v) variantIds.push(v);
      }
    }
    if (keys.length === 0 && variantIds.length === 0) return page;
    const catalog = strapi.plugin(PLUGIN_ID).service('catalog') as Catalog;
    const [products, variants] = await Promise.all([catalog.byKeys(null, keys), catalog.byVariantIds(null, variantIds)]);
    const items = page.items.map((item): TimelineItem => {
      const lines: ProductLine[] = [];
      const p = asObject(item.properties.product);
      const key = idOf(p?.id ?? p?.key) ?? idOf(p?.handle);
      if (key) {
        const known = products.get(key);
        const title = known?.title ?? (typeof p?.title === 'string' ? p.title : undefined);
        if (title) {
          const quantity = typeof item.properties.quantity === 'number' ? item.properties.quantity : undefined;
          const line = { key, title, quantity };
          lines.push({ ...line, text: lineText(line) });
        }
      }
      for (const raw of Array.isArray(item.properties.items) ? item.properties.items : []) {
        const entry = asObject(raw);
        const variantId = idOf(entry?.variant_id);
        const found = variantId ? variants.get(variantId) : undefined;
        if (!found?.product.title) continue;
        const quantity = typeof entry?.quantity === 'number' ? entry.quantity : undefined;
        const variantTitle = found.variant.title && found.variant.title !== 'Default Title' ? ` (${found.variant.title})` : '';
        const line = {
          key: found.product.key,
          variantId,
          title: `${found.product.title}${variantTitle}`,
          quantity,
          amount: found.variant.price !== undefined ? Math.round(found.variant.price * (quantity ?? 1) * 100) / 100 : undefined,
          currency: found.variant.currency,
        };
        lines.push({ ...line, text: lineText(line) });
      }
      return lines.length ? { ...item, products: lines, summary: lines.map((l) => l.text).join('; ') } : item;
    });
    return { items, nextCursor: page.nextCursor };
  },
});
