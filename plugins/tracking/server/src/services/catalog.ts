import type { Core } from '@strapi/strapi';
import type { Catalog, Product, ProductVariant, StoredTouchpoint } from '@moat/contracts';
import type { Knex } from 'knex';
import { PRODUCTS_TABLE, PRODUCT_VARIANTS_TABLE } from '../utils/constants';

type Row = { site: string; key: string; handle: string | null; title: string | null; variants: string | null; url: string | null; image: string | null; updated_at: number | string };

const str = (v: unknown, max: number) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
const num = (v: unknown) => {
  const n = typeof v === 'string' ? Number(v.replace(/[^\d.-]/g, '')) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
const currencyOf = (v: unknown) => (typeof v === 'string' && /^[A-Za-z]{3}$/.test(v.trim()) ? v.trim().toUpperCase() : undefined);
/** /products/<handle> (Shopify), with or without a locale prefix */
export const handleFromUrl = (url?: string | null) => (url ? /\/products\/([^/?#]+)/.exec(url)?.[1]?.slice(0, 255) : undefined);

function fromRow(row: Row): Product {
  let variants: ProductVariant[] = [];
  try {
    variants = row.variants ? (JSON.parse(row.variants) as ProductVariant[]) : [];
  } catch {}
  return { site: row.site, key: row.key, handle: row.handle, title: row.title, url: row.url, image: row.image, variants, updatedAt: Number(row.updated_at) };
}

/** Price in major units: `price` as given, or `price_cents` / Shopify's integer cents in `price_minor`. */
function variantOf(raw: Record<string, unknown>, fallbackCurrency?: string): ProductVariant | null {
  const id = str(raw.id ?? raw.variant_id, 128);
  if (!id) return null;
  const cents = num(raw.price_cents ?? raw.price_minor);
  const v: ProductVariant = { id, title: str(raw.title ?? raw.public_title ?? raw.name, 255), sku: str(raw.sku, 128), price: cents !== undefined ? cents / 100 : num(raw.price), currency: currencyOf(raw.currency) ?? fallbackCurrency };
  for (const k of Object.keys(v) as (keyof ProductVariant)[]) if (v[k] === undefined) delete v[k];
  return v;
}

/** What one touchpoint tells about products (product views, cart lines, server-side product events). */
export function productsOf(tp: StoredTouchpoint): Product[] {
  const site = tp.site ?? '';
  const props = tp.properties ?? {};
  const out: Product[] = [];
  const p = props.product && typeof props.product === 'object' ? (props.product as Record<string, unknown>) : null;
  if (p && (tp.type === 'product_view' || tp.type === 'custom' || tp.type === 'form_submit')) {
    const handle = str(p.handle, 255) ?? (tp.type === 'product_view' ? handleFromUrl(tp.url) : undefined);
    const key = str(p.id ?? p.key, 128) ?? handle;
    if (key) {
      const currency = currencyOf(p.currency);
      const variants = (Array.isArray(p.variants) ? p.variants : [])
        .map((v) => (v && typeof v === 'object' ? variantOf(v as Record<string, unknown>, currency) : null))
        .filter((v): v is ProductVariant => !!v);
      if (variants.length === 0 && p.variant_id != null) {
        const single = variantOf({ ...p, id: p.variant_id, title: p.variant_title }, currency);
        if (single) variants.push(single);
      }
      out.push({ site, key, handle, title: str(p.title ?? p.name, 512), url: str(p.url, 2048) ?? (tp.type === 'product_view' ? (tp.url ?? undefined) : undefined), image: str(p.image, 2048), variants });
    }
  }
  if (/^cart_/.test(tp.type) && Array.isArray(props.items)) {
    for (const item of props.items as Record<string, unknown>[]) {
      const key = str(item?.product_id, 128);
      const variant = item && variantOf(item, currencyOf(props.currency));
      if (key) out.push({ site, key, title: str(item.product_title, 512), variants: variant ? [{ ...variant, title: str(item.variant_title, 255) }] : [] });
    }
  }
  return out;
}

function mergeProduct(old: Product | undefined, next: Product): Product {
  if (!old) return next;
  const variants = new Map(old.variants.map((v) => [v.id, v]));
  for (const v of next.variants) variants.set(v.id, { ...variants.get(v.id), ...Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined)) } as ProductVariant);
  return {
    site: next.site,
    key: next.key,
    handle: next.handle || old.handle,
    title: next.title || old.title,
    url: next.url || old.url,
    image: next.image || old.image,
    variants: [...variants.values()].slice(0, 250),
  };
}

/**
 * The product catalog: learned after the durable write (collect/stored.ts) from what pages
 * expose and from the server-side API; later filled by the Shopify app. What a source does
 * not say never blanks what another said.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;

  const api: Catalog & { learnFrom(touchpoints: StoredTouchpoint[]): Promise<number> } = {
    async upsert(products: Product[], at = Date.now()): Promise<number> {
      // one row per (site, key) in a batch: later mentions add to earlier ones
      const bySiteKey = new Map<string, Product>();
      for (const p of products) {
        if (!p.key) continue;
        const id = `${p.site ?? ''}\u0000${p.key}`;
        bySiteKey.set(id, mergeProduct(bySiteKey.get(id), { ...p, site: p.site ?? '' }));
      }
      if (bySiteKey.size === 0) return 0;
      return knex().transaction(async (trx) => {
        for (const p of bySiteKey.values()) {
          const row = (await trx(PRODUCTS_TABLE).where({ site: p.site, key: p.key }).first()) as Row | undefined;
          const merged = mergeProduct(row ? fromRow(row) : undefined, p);
          const data = {
            site: merged.site,
            key: merged.key,
            handle: merged.handle ?? null,
            title: merged.title ?? null,
            variants: JSON.stringify(merged.variants),
            url: merged.url ?? null,
            image: merged.image ?? null,
            updated_at: at,
          };
          await trx(PRODUCTS_TABLE).insert(data).onConflict(['site', 'key']).merge();
          if (merged.variants.length) {
            await trx(PRODUCT_VARIANTS_TABLE)
              .insert(merged.variants.map((v) => ({ site: merged.site, variant_id: v.id, product_key: merged.key })))
              .onConflict(['site', 'variant_id'])
              .merge();
          }
        }
        return bySiteKey.size;
      });
    },

    /** site null: any site (server-side events name none) */
    async byKeys(site: string | null, keys: string[]): Promise<Map<string, Product>> {
      const out = new Map<string, Product>();
      if (keys.length === 0) return out;
      const q = knex()(PRODUCTS_TABLE).whereIn('key', [...new Set(keys)].slice(0, 500));
      if (site !== null) q.whereIn('site', [site, '']);
      for (const row of (await q) as Row[]) if (!out.has(row.key) || row.site === site) out.set(row.key, fromRow(row));
      return out;
    },

    async byVariantIds(site: string | null, ids: string[]) {
      const out = new Map<string, { product: Product; variant: ProductVariant }>();
      if (ids.length === 0) return out;
      const q = knex()(PRODUCT_VARIANTS_TABLE).whereIn('variant_id', [...new Set(ids)].slice(0, 500));
      if (site !== null) q.whereIn('site', [site, '']);
      const links = (await q) as Array<{ site: string; variant_id: string; product_key: string }>;
      const products = await api.byKeys(site, links.map((l) => l.product_key));
      for (const link of links) {
        const product = products.get(link.product_key);
        const variant = product?.variants.find((v) => v.id === link.variant_id);
        if (product && variant) out.set(link.variant_id, { product, variant });
      }
      return out;
    },

    async learnFrom(touchpoints: StoredTouchpoint[]): Promise<number> {
      const products = touchpoints.flatMap(productsOf);
      return products.length ? api.upsert(products) : 0;
    },
  };
  return api;
};
