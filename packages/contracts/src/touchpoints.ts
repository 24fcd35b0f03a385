/** Event types a browser may send. Server-only types (order_placed, email_*) are not here. */
export const BROWSER_EVENT_TYPES = [
  'page_view',
  'engagement',
  'form_submit',
  'product_view',
  'cart_add',
  'cart_update',
  'cart_remove',
  'cart_clear',
  'cart_view',
  'checkout_started',
  'identify',
  'custom',
] as const;
export type BrowserEventType = (typeof BROWSER_EVENT_TYPES)[number];

/** Every type a touchpoint row may carry (browser + server channels). Additive only. */
export const TOUCHPOINT_TYPES = [
  ...BROWSER_EVENT_TYPES,
  'inquiry_created',
  'order_placed',
  'order_fulfilled',
  /** a checkout left without an order (Shopify checkouts/*): the abandoned-cart flow's trigger */
  'checkout_abandoned',
  'email_sent',
  'email_delivered',
  'email_opened',
  'email_clicked',
  'email_bounced',
  'unsubscribed',
  'follow_up_logged',
  'stage_changed',
  'message_received',
  'message_sent',
  'customer_merged',
  'pool_released',
  'pool_claimed',
  /** CRM scoring moved the customer to another tier ({ from, to, reasons }): the VIP flow's trigger */
  'tier_changed',
  'quote_opened',
] as const;
export type TouchpointType = (typeof TOUCHPOINT_TYPES)[number];

/** One touchpoint as every plugin records it (camelCase; the table is snake_case). */
export interface TouchpointInput {
  type: TouchpointType;
  /** web, email, whatsapp, messenger, live_chat, shopify, erp, crm, ... */
  channel: string;
  occurredAt: Date | number;
  site?: string | null;
  visitorId?: string | null;
  customerId?: string | null;
  sessionId?: string | null;
  source?: string | null;
  sourceChannel?: string | null;
  country?: string | null;
  device?: string | null;
  browser?: string | null;
  os?: string | null;
  url?: string | null;
  path?: string | null;
  properties?: Record<string, unknown> | null;
  /** idempotency key: a second record with the same key is ignored */
  dedupeKey?: string | null;
}

/**
 * `strapi.eventHub` event emitted by tracking after touchpoints are durable (collect's flush
 * and the server-side API), outside collect's 202: CRM forms, inquiries and scoring listen.
 */
export const TOUCHPOINTS_STORED = 'moat.touchpoints.stored' as const;
export interface StoredTouchpoint {
  id: number | null;
  type: string;
  customerId: string | null;
  visitorId: string | null;
  /** epoch milliseconds */
  occurredAt: number;
  properties: Record<string, unknown>;
  /** the touchpoint's idempotency key (stable across redeliveries) */
  dedupeKey?: string | null;
  site?: string | null;
  channel?: string;
  url?: string | null;
}
export interface TouchpointsStoredEvent {
  touchpoints: StoredTouchpoint[];
}

/** props of `inquiry_created` (the insights funnel reads exactly this) */
export interface InquiryCreatedProps {
  inquiry_id: string;
  product?: { key: string; title?: string };
  quantity?: number;
  channel: string;
  language?: string;
  message?: string;
}
/** props of `stage_changed` */
export interface StageChangedProps {
  entity: 'inquiry' | 'customer';
  id: string;
  from: string | null;
  to: string;
  value?: number;
  currency?: string;
}
/** props of `customer_merged` */
export interface CustomerMergedProps {
  loser_id: string;
  by_admin_id: number | string | null;
  moved: { touchpoints: number; inquiries: number; followUps: number; visitors: number };
}
