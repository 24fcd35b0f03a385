/**
 * The product catalog the tracking plugin learns from storefront pages and the server-side
 * API (plugins/tracking/server/src/services/catalog.ts), so timelines and inquiries name
 * products instead of ids. Variants get their own rows: a cart event carries variant ids only,
 * and resolving one is then an index look-up. Idempotent (`hasTable`) like the other migrations.
 */
async function up(knex) {
  if (!(await knex.schema.hasTable('moat_products'))) {
    await knex.schema.createTable('moat_products', (t) => {
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
  if (!(await knex.schema.hasTable('moat_product_variants'))) {
    await knex.schema.createTable('moat_product_variants', (t) => {
      t.string('site', 64).notNullable();
      t.string('variant_id', 128).notNullable();
      t.string('product_key', 128).notNullable();
      t.primary(['site', 'variant_id'], 'moat_product_variants_pk');
    });
  }
}

module.exports = { up };
