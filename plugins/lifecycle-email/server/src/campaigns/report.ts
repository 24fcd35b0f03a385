import { clientOf, orderValueSql } from '@moat/plugin-kit';
import type { Knex } from 'knex';
import { MESSAGES_TABLE } from '../migrations';

const TOUCHPOINTS = 'moat_touchpoints';
const DAY_MS = 86_400_000;
export const REPORT_DAYS = { default: 7, min: 1, max: 90 } as const;

export interface CampaignReport {
  /** orders count when placed within this many days after the recipient's first click */
  days: number;
  /** message rows of the campaign (one per segment member written) */
  messages: number;
  /** accepted by the mail server */
  sent: number;
  /** refused for good or given up on (bounces included) */
  failed: number;
  skipped: number;
  /** skipped rows by the reason's kind (the text before its first ":") */
  skippedBy: Record<string, number>;
  /** not final yet: pending, queued, sending, paused */
  waiting: number;
  /** messages with a bounce on the timeline (a refusal at send, or a bounce reported later) */
  bounced: number;
  /** sent minus the sent messages that bounced later */
  delivered: number;
  /** real opens: the pixel fetched by a person (privacy proxies excluded) or a click */
  opened: number;
  clicked: number;
  unsubscribed: number;
  /** orders of clicked recipients within `days` after their click, and their totals */
  orders: number;
  revenue: number;
  /** shares of delivered (opened, clicked, unsubscribed) and of sent + failed (failed); null without a base */
  rates: { delivered: number | null; opened: number | null; clicked: number | null; unsubscribed: number | null; failed: number | null };
}

const n = (v: unknown) => (v == null ? 0 : Number(v));
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * A campaign's report in three set-based queries (no per-recipient loop): its message rows by
 * status and reason, the engagement columns and timeline markers of those rows, and the orders
 * of clicked recipients inside the attribution window. Bounce and unsubscribe touchpoints are
 * found by the dedupe keys delivery and compliance give them (`email_bounced:<message id>`,
 * `unsubscribed:<message id>`), so each message counts once however often it was recorded.
 */
export async function campaignReport(knex: Knex, campaignId: string, days: number): Promise<CampaignReport> {
  const client = clientOf(knex);
  const byStatus = (await knex(MESSAGES_TABLE).select('status', 'reason').count({ n: '*' }).where('campaign_id', campaignId).groupBy('status', 'reason')) as Array<{ status: string; reason: string | null; n: unknown }>;
  const count = (...statuses: string[]) => byStatus.filter((r) => statuses.includes(r.status)).reduce((s, r) => s + n(r.n), 0);
  const skippedBy: Record<string, number> = {};
  for (const r of byStatus.filter((x) => x.status === 'skipped')) {
    const kind = (r.reason ?? 'unknown').split(':')[0].trim() || 'unknown';
    skippedBy[kind] = (skippedBy[kind] ?? 0) + n(r.n);
  }
  const sent = count('sent');
  const failed = count('failed');

  const hasTimeline = await knex.schema.hasTable(TOUCHPOINTS);
  const marker = (prefix: string) => `EXISTS (SELECT 1 FROM ${TOUCHPOINTS} b WHERE b.dedupe_key = '${prefix}:' || m.id)`;
  const [engagement] = (await knex(`${MESSAGES_TABLE} as m`)
    .where('m.campaign_id', campaignId)
    .select(
      knex.raw(`SUM(CASE WHEN m.opened_at IS NOT NULL OR m.clicked_at IS NOT NULL THEN 1 ELSE 0 END) AS opened`),
      knex.raw(`SUM(CASE WHEN m.clicked_at IS NOT NULL THEN 1 ELSE 0 END) AS clicked`),
      knex.raw(hasTimeline ? `SUM(CASE WHEN ${marker('email_bounced')} THEN 1 ELSE 0 END) AS bounced` : '0 AS bounced'),
      knex.raw(hasTimeline ? `SUM(CASE WHEN m.status = 'sent' AND ${marker('email_bounced')} THEN 1 ELSE 0 END) AS bounced_after_send` : '0 AS bounced_after_send'),
      knex.raw(hasTimeline ? `SUM(CASE WHEN ${marker('unsubscribed')} THEN 1 ELSE 0 END) AS unsubscribed` : '0 AS unsubscribed'),
    )) as Array<Record<string, unknown>>;

  let orders = 0;
  let revenue = 0;
  if (hasTimeline) {
    // one message per customer and campaign (its idempotency key): an order counts once
    const [row] = (await knex(`${MESSAGES_TABLE} as m`)
      .join(`${TOUCHPOINTS} as t`, 't.customer_id', 'm.customer_id')
      .where('m.campaign_id', campaignId)
      .whereNotNull('m.clicked_at')
      .where('t.type', 'order_placed')
      .whereRaw('t.occurred_at >= m.clicked_at')
      .whereRaw('t.occurred_at < m.clicked_at + ?', [days * DAY_MS])
      .select(knex.raw('COUNT(*) AS orders'), knex.raw(`COALESCE(SUM(${orderValueSql(client, 't.properties')}), 0) AS revenue`))) as Array<Record<string, unknown>>;
    orders = n(row?.orders);
    revenue = Math.round(n(row?.revenue) * 100) / 100;
  }

  const delivered = sent - n(engagement?.bounced_after_send);
  const opened = n(engagement?.opened);
  const clicked = n(engagement?.clicked);
  const unsubscribed = n(engagement?.unsubscribed);
  return {
    days,
    messages: byStatus.reduce((s, r) => s + n(r.n), 0),
    sent,
    failed,
    skipped: count('skipped'),
    skippedBy,
    waiting: count('pending', 'queued', 'sending', 'paused'),
    bounced: n(engagement?.bounced),
    delivered,
    opened,
    clicked,
    unsubscribed,
    orders,
    revenue,
    rates: { delivered: rate(delivered, sent), opened: rate(opened, delivered), clicked: rate(clicked, delivered), unsubscribed: rate(unsubscribed, delivered), failed: rate(failed, sent + failed) },
  };
}
