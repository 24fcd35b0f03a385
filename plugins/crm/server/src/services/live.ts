import type { Core } from '@strapi/strapi';
import { CUSTOMER_UID } from '../utils/constants';

/** "on the storefront now": a touchpoint in the last five minutes */
export const LIVE_WINDOW_MS = 5 * 60 * 1000;
const MAX_ROWS = 5000;
const MAX_VISITORS = 200;
const WEB_TYPES = ['page_view', 'engagement', 'product_view', 'cart_add', 'cart_update', 'cart_remove', 'cart_clear', 'cart_view', 'checkout_started', 'form_submit', 'identify'];

interface Row {
  visitor_id: string;
  customer_id: string | null;
  type: string;
  occurred_at: number | string;
  url: string | null;
  path: string | null;
  country: string | null;
  source: string | null;
  properties: string | Record<string, unknown> | null;
}

export interface LiveVisitor {
  visitorId: string;
  customer: { documentId: string; name: string | null; email: string | null; score: number | null; grade: string | null } | null;
  country: string | null;
  timeZone: string | null;
  source: string | null;
  lastSeenAt: number;
  currentPage: { url: string | null; title: string | null } | null;
  pages: Array<{ url: string | null; title: string | null; at: number; dwellMs: number | null }>;
  cart: Array<Record<string, unknown>>;
}

const propsOf = (row: Row): Record<string, unknown> => {
  if (!row.properties) return {};
  if (typeof row.properties === 'object') return row.properties;
  try {
    return JSON.parse(row.properties) as Record<string, unknown>;
  } catch {
    return {};
  }
};

/**
 * Who is on the storefront now, read-only from the touchpoint store (the tracking plugin's
 * tables, never written here): the visitors with a web touchpoint in the last five minutes,
 * each with the pages they saw (and how long: engagement events carry engaged_ms), the cart
 * as its last cart event left it, and the customer when known.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(now = Date.now()): Promise<LiveVisitor[]> {
    const knex = strapi.db.connection;
    const rows = (await knex('moat_touchpoints')
      .select('visitor_id', 'customer_id', 'type', 'occurred_at', 'url', 'path', 'country', 'source', 'properties')
      .whereIn('type', WEB_TYPES)
      .andWhere('occurred_at', '>=', now - LIVE_WINDOW_MS)
      .whereNotNull('visitor_id')
      .orderBy('occurred_at', 'asc')
      .limit(MAX_ROWS)) as Row[];
    const byVisitor = new Map<string, LiveVisitor>();
    for (const row of rows) {
      const at = Number(row.occurred_at);
      let v = byVisitor.get(row.visitor_id);
      if (!v) {
        v = { visitorId: row.visitor_id, customer: null, country: null, timeZone: null, source: null, lastSeenAt: at, currentPage: null, pages: [], cart: [] };
        byVisitor.set(row.visitor_id, v);
      }
      v.lastSeenAt = Math.max(v.lastSeenAt, at);
      v.country = row.country ?? v.country;
      v.source = v.source ?? row.source;
      if (row.customer_id && !v.customer) v.customer = { documentId: row.customer_id, name: null, email: null, score: null, grade: null };
      const props = propsOf(row);
      if (row.type === 'page_view') {
        const page = { url: row.url, title: typeof props.title === 'string' ? props.title : null, at, dwellMs: null };
        v.pages.push(page);
        v.currentPage = { url: page.url, title: page.title };
      } else if (row.type === 'engagement') {
        // the engaged time of the page it reports (the last view of that URL)
        const page = [...v.pages].reverse().find((p) => p.url === row.url) ?? v.pages[v.pages.length - 1];
        if (page && typeof props.engaged_ms === 'number') page.dwellMs = (page.dwellMs ?? 0) + props.engaged_ms;
      } else if (row.type.startsWith('cart_')) {
        if (row.type === 'cart_clear') v.cart = [];
        else if (Array.isArray(props.items)) v.cart = mergeCart(v.cart, props.items as Array<Record<string, unknown>>, row.type);
      }
    }
    const visitors = [...byVisitor.values()].sort((a, b) => b.lastSeenAt - a.lastSeenAt).slice(0, MAX_VISITORS);
    await enrich(strapi, visitors);
    return visitors;
  },
});

/** cart lines keyed by variant (or product): an add or update replaces the line, a remove or quantity 0 drops it */
function mergeCart(cart: Array<Record<string, unknown>>, items: Array<Record<string, unknown>>, type: string) {
  const key = (i: Record<string, unknown>) => String(i.variant_id ?? i.product_id ?? i.sku ?? i.title ?? '');
  const lines = new Map(cart.map((i) => [key(i), i]));
  for (const item of items.slice(0, 50)) {
    if (type === 'cart_remove' || item.quantity === 0) lines.delete(key(item));
    else if (type === 'cart_add' && lines.has(key(item))) {
      const prev = lines.get(key(item)) as Record<string, unknown>;
      lines.set(key(item), { ...prev, ...item, quantity: Number(prev.quantity ?? 0) + Number(item.quantity ?? 1) });
    } else lines.set(key(item), item);
  }
  return [...lines.values()];
}

/** visitor rows (time zone, first source, customer link) and the known customers' names and scores */
async function enrich(strapi: Core.Strapi, visitors: LiveVisitor[]) {
  if (visitors.length === 0) return;
  const knex = strapi.db.connection;
  const rows = (await knex('moat_visitors')
    .select('visitor_id', 'customer_id', 'timezone', 'country', 'first_source')
    .whereIn('visitor_id', visitors.map((v) => v.visitorId))) as Array<{ visitor_id: string; customer_id: string | null; timezone: string | null; country: string | null; first_source: string | null }>;
  const byId = new Map(rows.map((r) => [r.visitor_id, r]));
  for (const v of visitors) {
    const row = byId.get(v.visitorId);
    if (!row) continue;
    v.timeZone = row.timezone;
    v.country = v.country ?? row.country;
    v.source = v.source ?? row.first_source;
    if (row.customer_id && !v.customer) v.customer = { documentId: row.customer_id, name: null, email: null, score: null, grade: null };
  }
  const ids = [...new Set(visitors.flatMap((v) => (v.customer ? [v.customer.documentId] : [])))];
  if (ids.length === 0) return;
  const customers = (await strapi.documents(CUSTOMER_UID).findMany({
    filters: { documentId: { $in: ids } } as never,
    fields: ['name', 'email', 'score', 'grade', 'timeZone'] as never,
    limit: ids.length,
  })) as unknown as Array<{ documentId: string; name: string | null; email: string | null; score: number | null; grade: string | null; timeZone: string | null }>;
  const known = new Map(customers.map((c) => [c.documentId, c]));
  for (const v of visitors) {
    const c = v.customer && known.get(v.customer.documentId);
    if (!c) continue;
    v.customer = { documentId: c.documentId, name: c.name, email: c.email, score: c.score, grade: c.grade };
    v.timeZone = v.timeZone ?? c.timeZone;
  }
}
