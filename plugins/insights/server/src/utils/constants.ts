export const PLUGIN_ID = 'insights';
export const TOUCHPOINTS = 'moat_touchpoints';
export const ROLLUP_TABLE = 'moat_insights_daily';
export const SPEND_TABLE = 'moat_insights_spend';
export const DIRTY_TABLE = 'moat_insights_dirty_days';
export const STATE_TABLE = 'moat_insights_state';
export const DAY_MS = 86_400_000;
export const CUBE_TABLE = 'moat_insights_daily_dim';
