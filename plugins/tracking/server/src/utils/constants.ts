export const PLUGIN_ID = 'tracking';
export const TOUCHPOINTS_TABLE = 'moat_touchpoints';
export const VISITORS_TABLE = 'moat_visitors';
/** the browser tracker's channel; server-side channels name themselves */
export const WEB_CHANNEL = 'web';
/** webhook deliveries already handled, by source, site and delivery id (replays answer "duplicate") */
export const WEBHOOK_DELIVERIES_TABLE = 'moat_webhook_deliveries';
