export const PLUGIN_ID = 'tracking';
export const TOUCHPOINTS_TABLE = 'moat_touchpoints';
export const VISITORS_TABLE = 'moat_visitors';
/** the browser tracker's channel; server-side channels name themselves */
export const WEB_CHANNEL = 'web';
/** webhook deliveries already handled, by source, site and delivery id (replays answer "duplicate") */
export const WEBHOOK_DELIVERIES_TABLE = 'moat_webhook_deliveries';
/** the product catalog (services/catalog.ts) and its variant → product index */
export const PRODUCTS_TABLE = 'moat_products';
export const PRODUCT_VARIANTS_TABLE = 'moat_product_variants';
