import type { Core } from '@strapi/strapi';
import { SHOPIFY_CHANNEL } from '../utils/constants';
import { peers } from '../utils/peers';
import type { ShopifyFulfillment } from '../webhooks/payloads';

const TEMPLATE_UID = 'plugin::lifecycle-email.email-template';
const MAX_ITEMS = 100;
/** Shopify's statuses that mean the parcel left: only these send the shipping email */
const SHIPPED = new Set(['success']);

export interface ShippingResult {
  customerId: string | null;
  recorded: string[];
  /** the message log row of the shipping email, when one was enqueued (created: false = already sent) */
  email: { id: number; created: boolean } | null;
  reason?: string;
}

const unique = (values: Array<string | null | undefined>) => [...new Set(values.filter((v): v is string => Boolean(v)))];

/**
 * fulfillments/create and update: a shipping touchpoint and the shipping email (the seeded
 * template of kind "shipping") through lifecycle-email's message log. Both are keyed by
 * fulfillment id + status, never by delivery: create, update and Shopify's retries of either
 * record one touchpoint and send one email; a later status (cancelled) is its own event.
 * Works before the order arrived: the fulfillment carries the buyer's email and the items.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const peer = peers(strapi);

  /** The shipping template's documentId (the store owner may rename it; its kind stays). */
  async function shippingTemplate(): Promise<string | null> {
    try {
      const t = (await strapi.documents(TEMPLATE_UID as never).findFirst({ filters: { kind: 'shipping' }, fields: ['documentId'] } as never)) as { documentId?: string } | null;
      return t?.documentId ?? null;
    } catch {
      return null;
    }
  }

  function emailData(shop: string, f: ShopifyFulfillment, trackingNumbers: string[], trackingUrls: string[], shippedAt: number) {
    const items = f.line_items.slice(0, MAX_ITEMS).map((i) => ({ title: i.name ?? i.title ?? '', quantity: i.quantity }));
    const total = f.line_items.reduce((sum, i) => sum + Number(i.price ?? 0) * i.quantity, 0);
    const currency = f.line_items.find((i) => i.price_set?.shop_money?.currency_code)?.price_set?.shop_money?.currency_code ?? 'USD';
    return {
      locale: 'en-US',
      shop: { name: shop.replace(/\.myshopify\.com$/, ''), address: '' },
      customer: { firstName: f.destination?.first_name ?? '', timeZone: 'UTC' },
      links: { shop: `https://${shop}/` },
      labels: { unsubscribe: 'Unsubscribe', preferences: 'Email preferences', viewInBrowser: 'View in browser' },
      order: { number: f.name?.replace(/\.\d+$/, '') ?? f.order_id, itemCount: items.reduce((n, i) => n + i.quantity, 0), total: Math.round(total * 100) / 100, currency, items },
      shipment: {
        carrier: f.tracking_company ?? '',
        trackingNumber: trackingNumbers.join(', '),
        trackingUrl: trackingUrls[0] ?? '',
        trackingUrls,
        shippedAt: new Date(shippedAt).toISOString(),
      },
    };
  }

  return {
    async onFulfillment(shop: string, f: ShopifyFulfillment, deliveredAt: number): Promise<ShippingResult> {
      const at = f.created_at ?? f.updated_at ?? deliveredAt;
      const email = f.email?.includes('@') ? f.email : undefined;
      const customers = peer.customers();
      const customerId = email && customers ? (await customers.identify({ email }, { seenAt: new Date(at), source: SHOPIFY_CHANNEL, verified: true })).documentId : null;
      const trackingNumbers = unique([...(f.tracking_numbers ?? []), f.tracking_number]);
      const trackingUrls = unique([...(f.tracking_urls ?? []), f.tracking_url]).filter((u) => /^https?:\/\//i.test(u));
      const key = `${SHOPIFY_CHANNEL}:${shop}:fulfillment:${f.id}:${f.status}`;
      const shipped = SHIPPED.has(f.status);

      const recorded: string[] = [];
      const touchpoints = peer.touchpoints();
      const type = shipped ? 'order_shipped' : `shipment_${f.status}`.slice(0, 64);
      const properties = { order_id: f.order_id, fulfillment_id: f.id, status: f.status, carrier: f.tracking_company ?? null, tracking_numbers: trackingNumbers, tracking_urls: trackingUrls, store: shop };
      if (touchpoints && (await touchpoints.record({ type, channel: SHOPIFY_CHANNEL, site: shop, customerId, occurredAt: at, properties, dedupeKey: key }))) recorded.push(type);

      if (!shipped) return { customerId, recorded, email: null, reason: `status ${f.status} sends no email` };
      if (!email) return { customerId, recorded, email: null, reason: 'the fulfillment has no email address' };
      const messages = peer.messages();
      if (!messages) return { customerId, recorded, email: null, reason: 'lifecycle-email is not loaded' };
      const templateKey = await shippingTemplate();
      if (!templateKey) return { customerId, recorded, email: null, reason: 'no template of kind shipping' };
      // the message log is idempotent by key: a second delivery finds the first message
      const sent = await messages.enqueue({ idempotencyKey: key, lane: 'transactional', kind: 'transactional', to: email, customerId, templateKey, locale: 'en', data: emailData(shop, f, trackingNumbers, trackingUrls, at) });
      return { customerId, recorded, email: sent };
    },
  };
};
