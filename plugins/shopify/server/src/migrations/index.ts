import type { PluginMigration } from '@moat/plugin-kit';
import { backfillMigration } from './backfill';
import { webhookQueueMigration } from './webhook-queue';

/**
 * The plugin's raw tables, in order, run once each by @moat/plugin-kit's runPluginMigrations
 * (register). Each `up` still checks before it creates: databases made before the runner
 * recorded anything keep working.
 */

export const migrations: PluginMigration[] = [
  {
    name: '2026.12.02-shopify-shops',
    async up(knex) {
      if (await knex.schema.hasTable('shopify_shops')) return;
      await knex.schema.createTable('shopify_shops', (t) => {
        t.string('shop', 128).primary();
        t.string('scope', 1024);
        /** epoch ms; uninstalled_at is null while the app is installed */
        t.bigInteger('installed_at').notNullable();
        t.bigInteger('uninstalled_at');
        t.bigInteger('updated_at').notNullable();
      });
    },
  },
  {
    name: '2026.12.02-shopify-sessions',
    async up(knex) {
      if (await knex.schema.hasTable('shopify_sessions')) return;
      await knex.schema.createTable('shopify_sessions', (t) => {
        t.string('id', 255).primary();
        t.string('shop', 128).notNullable().index('shopify_sessions_shop_idx');
        t.string('state', 255);
        t.boolean('is_online').notNullable().defaultTo(false);
        t.string('scope', 1024);
        t.bigInteger('expires');
        /** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>" (base64url); never the token itself */
        t.text('access_token_enc');
        t.text('refresh_token_enc');
        t.bigInteger('refresh_token_expires');
        t.text('online_access_info');
        t.bigInteger('updated_at').notNullable();
      });
    },
  },
  {
    name: '2026.12.02-shopify-webhook-deliveries',
    async up(knex) {
      if (await knex.schema.hasTable('shopify_webhook_deliveries')) return;
      await knex.schema.createTable('shopify_webhook_deliveries', (t) => {
        /** X-Shopify-Webhook-Id: one per delivery, the same on Shopify's retries */
        t.string('webhook_id', 128).primary();
        t.string('shop', 128).notNullable();
        t.string('topic', 64).notNullable();
        /** received | processed | failed | ignored (see migrations/webhook-queue.ts) */
        t.string('status', 16).notNullable();
        t.bigInteger('received_at').notNullable();
      });
    },
  },
  {
    name: '2026.12.02-shopify-products',
    async up(knex) {
      if (await knex.schema.hasTable('shopify_products')) return;
      await knex.schema.createTable('shopify_products', (t) => {
        t.string('shop', 128).notNullable();
        t.string('product_id', 32).notNullable();
        t.string('handle', 255);
        t.string('title', 255);
        t.string('status', 16);
        t.string('vendor', 255);
        t.string('product_type', 255);
        /** JSON: [{id, title, sku, price, compare_at_price, inventory_quantity}] */
        t.text('variants');
        /** JSON: [{id, src, alt, width, height}] */
        t.text('images');
        t.decimal('price_min', 14, 2);
        t.decimal('price_max', 14, 2);
        /** Shopify's updated_at (epoch ms): an older delivery never overwrites a newer one */
        t.bigInteger('source_updated_at').notNullable();
        t.bigInteger('deleted_at');
        t.primary(['shop', 'product_id'], 'shopify_products_pk');
        t.index(['shop', 'handle'], 'shopify_products_handle_idx');
      });
    },
  },
  {
    name: '2026.12.02-shopify-entity-versions',
    async up(knex) {
      if (await knex.schema.hasTable('shopify_entity_versions')) return;
      await knex.schema.createTable('shopify_entity_versions', (t) => {
        t.string('shop', 128).notNullable();
        /** customer | order */
        t.string('kind', 16).notNullable();
        t.string('entity_id', 32).notNullable();
        /** the newest updated_at applied (epoch ms) */
        t.bigInteger('updated_at').notNullable();
        t.primary(['shop', 'kind', 'entity_id'], 'shopify_entity_versions_pk');
      });
    },
  },
  {
    name: '2026.12.03-shopify-data-exports',
    async up(knex) {
      if (await knex.schema.hasTable('shopify_data_exports')) return;
      await knex.schema.createTable('shopify_data_exports', (t) => {
        t.increments('id').primary();
        t.string('shop', 128).notNullable();
        /** the Shopify customer the export is about (customers/redact deletes it with the rest) */
        t.string('customer_id', 32).notNullable();
        /** data_request.id of Shopify's request */
        t.string('request_id', 32);
        t.bigInteger('created_at').notNullable();
        /** JSON: { plugin: what it holds on the customer } */
        t.text('data').notNullable();
        t.index(['shop', 'customer_id'], 'shopify_data_exports_customer_idx');
      });
    },
  },
  {
    name: '2026.12.03-shopify-checkouts',
    async up(knex) {
      if (await knex.schema.hasTable('shopify_checkouts')) return;
      await knex.schema.createTable('shopify_checkouts', (t) => {
        t.string('shop', 128).notNullable();
        // the checkout token: what orders carry as checkout_token
        t.string('token', 64).notNullable();
        t.string('checkout_id', 24);
        t.string('customer_id', 64);
        t.string('shopify_customer_id', 24);
        t.string('email', 254);
        t.text('items');
        t.string('total', 32);
        t.string('currency', 8);
        t.string('recovery_url', 2048);
        /** epoch ms: Shopify's updated_at of the newest applied delivery (older ones are ignored) */
        t.bigInteger('updated_at');
        /** an order with this checkout token arrived (before or after the checkout itself) */
        t.bigInteger('completed_at');
        /** the abandonment touchpoint was recorded (once) */
        t.bigInteger('abandoned_at');
        t.primary(['shop', 'token']);
        t.index(['completed_at', 'abandoned_at', 'updated_at'], 'shopify_checkouts_due');
        t.index(['email'], 'shopify_checkouts_email');
      });
    },
  },
  backfillMigration,
  webhookQueueMigration,
];
