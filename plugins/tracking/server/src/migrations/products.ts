import type { PluginMigration } from '@moat/plugin-kit';
import { PRODUCT_VARIANTS_TABLE, PRODUCTS_TABLE } from '../utils/constants';

/**
 * The product catalog learned from storefront pages and the server-side API
 * (services/catalog.ts), so timelines and inquiries name products instead of ids. Variants get
 * their own rows: a cart event carries variant ids only, and resolving one is then an index
 * look-up. Named after the app migration that made these tables before the plugin owned them;
 * idempotent (`hasTable`), so databases made by that migration keep their rows.
 */
export const products: PluginMigration = {
  name: '2026.12.02T12.00.00.products',
  async up(knex) {
    if (!(await knex.schema.hasTable(PRODUCTS_TABLE))) {
      await knex.schema.createTable(PRODUCTS_TABLE, (t) => {
        t.string('site', 64).notNullable();
        /** the storefront's product id, else its handle */
        t.string('key', 128).notNullable();
        t.string('handle', 255);
        t.string('title', 512);
        /** [{ id, title, sku, price (major units), currency }] */
        t.text('variants');
        t.string('url', 2048);
        t.string('image', 2048);
        /** epoch milliseconds */
        t.bigInteger('updated_at').notNullable();
        t.primary(['site', 'key'], 'moat_products_pk');
        t.index(['site', 'handle'], 'moat_products_handle');
      });
    }
    if (!(await knex.schema.hasTable(PRODUCT_VARIANTS_TABLE))) {
      await knex.schema.createTable(PRODUCT_VARIANTS_TABLE, (t) => {
        t.string('site', 64).notNullable();
        t.string('variant_id', 128).notNullable();
        t.string('product_key', 128).notNullable();
        t.primary(['site', 'variant_id'], 'moat_product_variants_pk');
      });
    }
  },
};
