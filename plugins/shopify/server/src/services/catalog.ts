import type { Core } from '@strapi/strapi';
import { TABLES } from '../utils/constants';
import type { ShopifyProduct } from '../webhooks/payloads';

const price = (v?: string) => (v === undefined || Number.isNaN(Number(v)) ? null : Number(v));

/**
 * The shop's product catalog as products/* webhooks describe it: handle, title, variants,
 * prices, images. Each row keeps Shopify's updated_at, and a write only lands when it is
 * newer than the row, so deliveries in any order end in the newest state; a delete leaves a
 * tombstone that older updates cannot revive.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  async function write(shop: string, productId: string, at: number, values: Record<string, unknown>): Promise<boolean> {
    return knex().transaction(async (trx) => {
      const row = await trx(TABLES.products).where({ shop, product_id: productId }).first('source_updated_at');
      if (row && Number(row.source_updated_at) >= at) return false;
      const data = { ...values, source_updated_at: at };
      if (row) await trx(TABLES.products).where({ shop, product_id: productId }).update(data);
      else await trx(TABLES.products).insert({ shop, product_id: productId, ...data });
      return true;
    });
  }

  return {
    /** products/create and products/update; false when the stored row is as new or newer */
    async upsert(shop: string, product: ShopifyProduct, deliveredAt: number): Promise<boolean> {
      const prices = product.variants.map((v) => price(v.price)).filter((p): p is number => p !== null);
      return write(shop, product.id, product.updated_at ?? product.created_at ?? deliveredAt, {
        handle: product.handle ?? null,
        title: product.title ?? null,
        status: product.status ?? null,
        vendor: product.vendor ?? null,
        product_type: product.product_type ?? null,
        variants: JSON.stringify(
          product.variants.map((v) => ({
            id: v.id,
            title: v.title ?? null,
            sku: v.sku ?? null,
            price: price(v.price),
            compare_at_price: price(v.compare_at_price),
            inventory_quantity: v.inventory_quantity ?? null,
          })),
        ),
        images: JSON.stringify(product.images.map((i) => ({ id: i.id ?? null, src: i.src ?? null, alt: i.alt ?? null, width: i.width ?? null, height: i.height ?? null }))),
        price_min: prices.length ? Math.min(...prices) : null,
        price_max: prices.length ? Math.max(...prices) : null,
        deleted_at: null,
      });
    },
    /** products/delete carries only the id: the delivery's trigger time orders it */
    async remove(shop: string, productId: string, triggeredAt: number): Promise<boolean> {
      return write(shop, productId, triggeredAt, { deleted_at: triggeredAt });
    },
  };
};
