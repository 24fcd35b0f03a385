import { TOUCHPOINTS } from '../utils/constants';
import { type Client, dayExpr, jsonNumber, jsonText, orderValueSql } from '../utils/sql';

/** The dimensions a funnel is sliced by; '' stands for "unknown". */
export const DIMENSIONS = ['site', 'source', 'medium', 'campaign', 'country', 'device'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const METRICS = ['visitors', 'interacting', 'leads', 'inquiries', 'deals', 'revenue'] as const;
export type Metric = (typeof METRICS)[number];

/** What we send or log ourselves (or the CRM does on its own): it says nothing about the buyer being there. */
const OUTBOUND = ['email_sent', 'email_delivered', 'email_bounced', 'message_sent', 'follow_up_logged', 'order_fulfilled', 'stage_changed', 'tier_changed', 'customer_merged', 'pool_released', 'pool_claimed'];
/** Interaction without a time threshold: forms, carts, a chat message. */
const INTERACTIONS = ['form_submit', 'cart_add', 'cart_update', 'cart_remove', 'cart_clear', 'cart_view', 'checkout_started', 'message_received'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * One row per shop day and slice with every touchpoint-store stage of the funnel, for the
 * touchpoints in [from, to). The rollup refresh inserts exactly this; the raw funnel sums it
 * directly, so "rollups equal raw" holds by construction and a test checks it.
 *
 * - visitors / interacting: distinct visitors (or customers, for channels without a visitor
 *   id) per day: a visitor back on another day counts again, so days add up exactly.
 * - leads: a customer's first identify ever (by event time, then id).
 * - inquiries: inquiry_created; deals: order_placed, or an inquiry's stage_changed to "won";
 *   revenue: the deals' worth (`orderValueSql`: `value`, else an order's `total`).
 */
export function dailySql(client: Client, offsetMs: number, engagedMs: number): { sql: string; bindings: (from: number, to: number) => unknown[] } {
  const campaign = `SUBSTR(${jsonText(client, ['utm_campaign'])}, 1, 128)`;
  const sql = `
SELECT day, site, source, medium, campaign, country, device,
  COUNT(DISTINCT CASE WHEN inbound = 1 THEN vkey END) AS visitors,
  COUNT(DISTINCT CASE WHEN interacting = 1 THEN vkey END) AS interacting,
  COUNT(DISTINCT CASE WHEN lead = 1 THEN customer_id END) AS leads,
  SUM(CASE WHEN type = 'inquiry_created' THEN 1 ELSE 0 END) AS inquiries,
  SUM(deal) AS deals,
  SUM(CASE WHEN deal = 1 THEN value ELSE 0 END) AS revenue
FROM (
  SELECT ${dayExpr('t.occurred_at')} AS day,
    COALESCE(t.site, '') AS site, COALESCE(t.source, '') AS source, COALESCE(t.source_channel, '') AS medium,
    COALESCE(${campaign}, '') AS campaign, COALESCE(t.country, '') AS country, COALESCE(t.device, '') AS device,
    COALESCE(t.visitor_id, 'c:' || t.customer_id) AS vkey, t.type, t.customer_id,
    CASE WHEN t.type NOT IN (${list(OUTBOUND)}) THEN 1 ELSE 0 END AS inbound,
    CASE WHEN t.type IN (${list(INTERACTIONS)}) OR (t.type = 'engagement' AND ${jsonNumber(client, ['engaged_ms'])} >= ?) THEN 1 ELSE 0 END AS interacting,
    CASE WHEN t.type = 'identify' AND t.customer_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM ${TOUCHPOINTS} e WHERE e.customer_id = t.customer_id AND e.type = 'identify'
        AND (e.occurred_at < t.occurred_at OR (e.occurred_at = t.occurred_at AND e.id < t.id))
    ) THEN 1 ELSE 0 END AS lead,
    CASE WHEN t.type = 'order_placed' OR (t.type = 'stage_changed' AND ${jsonText(client, ['entity'])} = 'inquiry' AND ${jsonText(client, ['to'])} = 'won') THEN 1 ELSE 0 END AS deal,
    ${orderValueSql(client)} AS value
  FROM ${TOUCHPOINTS} t
  WHERE t.occurred_at >= ? AND t.occurred_at < ?
) x
GROUP BY day, site, source, medium, campaign, country, device`;
  return { sql, bindings: (from, to) => [offsetMs, engagedMs, from, to] };
}
