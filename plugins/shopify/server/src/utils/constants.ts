export const PLUGIN_ID = 'shopify';
/** The channel Shopify's touchpoints carry (timeline filters, dedupe keys). */
export const SHOPIFY_CHANNEL = 'shopify';
export const TABLES = {
  shops: 'shopify_shops',
  sessions: 'shopify_sessions',
  deliveries: 'shopify_webhook_deliveries',
  products: 'shopify_products',
  versions: 'shopify_entity_versions',
  exports: 'shopify_data_exports',
  checkouts: 'shopify_checkouts',
  backfill: 'shopify_backfill_jobs',
} as const;
/** `<name>.myshopify.com`, the only shop domain Shopify signs webhooks and proxy calls with */
export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;
/** admin permission: read the customer data exports made for customers/data_request */
export const EXPORTS_READ = 'plugin::shopify.exports.read';
/** admin permissions: see the backfill's progress / start or resume it */
export const BACKFILL_READ = 'plugin::shopify.backfill.read';
export const BACKFILL_RUN = 'plugin::shopify.backfill.run';
/** admin permissions: the connected shops; received webhooks and their status / retrying failed ones */
export const SHOPS_READ = 'plugin::shopify.shops.read';
export const WEBHOOKS_READ = 'plugin::shopify.webhooks.read';
export const WEBHOOKS_RETRY = 'plugin::shopify.webhooks.retry';
