import type { Core } from '@strapi/strapi';
import type { CustomerTraits } from '@moat/contracts';
import type { Knex } from 'knex';
import type { TouchpointType } from '../contracts/events';
import type { TouchpointInput } from '../store/rows';
import { WEBHOOK_DELIVERIES_TABLE } from '../utils/constants';
import { crmCustomers } from '../utils/crm';
import { getService } from '../utils/get-service';
import type { WooCustomer, WooEvent, WooOrder } from '../woocommerce/payloads';

export const WOO_CHANNEL = 'woocommerce';
/** line items kept on a touchpoint; the count says how many the order had */
const MAX_ITEMS = 100;
/**
 * Statuses in which an order has not been placed yet, as WooCommerce Analytics counts by
 * default: awaiting a payment that may never come, failed, cancelled, checkout drafts. Any
 * other status (processing, on-hold, completed, a plugin's "shipped") is a placed order.
 */
const NOT_PLACED = new Set(['pending', 'failed', 'cancelled', 'checkout-draft', 'draft', 'auto-draft', 'trash']);

export interface WooDelivery {
  site: string;
  deliveryId: string;
  webhookId?: string;
}

export interface WooResult {
  /** stored: something new; duplicate: a replay, or every touchpoint was already there; ignored: nothing to record */
  status: 'stored' | 'duplicate' | 'ignored';
  topic: string;
  customerId?: string | null;
  recorded?: TouchpointType[];
}

/**
 * At most 255 characters: the CRM's name column is varchar(255) on PostgreSQL (its schema says
 * 256); a longer name would fail the write, and every retry of the delivery.
 */
const joinName = (first?: string, last?: string) => [first, last].filter(Boolean).join(' ').slice(0, 255) || undefined;
/** WooCommerce ids are per store: two stores both have a customer 5. */
const externalIdOf = (site: string, customerId?: number) => (customerId ? `woocommerce:${site}:${customerId}` : undefined);

/** The order as it lands on the timeline: the same properties for every shop system. */
export function orderProperties(site: string, order: WooOrder) {
  return {
    order_id: String(order.id),
    order_number: String(order.number ?? order.id),
    status: order.status,
    total: order.total,
    currency: order.currency,
    ...(order.total_tax !== undefined ? { total_tax: order.total_tax } : {}),
    ...(order.shipping_total !== undefined ? { shipping_total: order.shipping_total } : {}),
    ...(order.discount_total !== undefined ? { discount_total: order.discount_total } : {}),
    item_count: order.line_items.length,
    items: order.line_items.slice(0, MAX_ITEMS).map((item) => ({
      name: item.name,
      sku: item.sku || null,
      quantity: item.quantity,
      price: item.price ?? null,
      product_id: item.product_id ? String(item.product_id) : null,
      variant_id: item.variation_id ? String(item.variation_id) : null,
    })),
    ...(order.payment_method ? { payment_method: order.payment_method } : {}),
    store: site,
  };
}

/**
 * WooCommerce webhooks onto the timeline. Orders are keyed by order id and milestone, not by
 * delivery: WooCommerce mints a new delivery id for every send (order.created is often
 * followed by an order.updated of the same order), and an order counts once whatever arrives.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const touchpoints = () => getService(strapi, 'touchpoints');

  async function identify(traits: CustomerTraits, seenAt: number) {
    const customers = crmCustomers(strapi);
    if (!customers || (!traits.email && !traits.externalId)) return null;
    // WooCommerce is a trusted source: its traits are verified (they replace storefront claims)
    const { documentId } = await customers.identify(traits, {
      seenAt: new Date(seenAt),
      source: WOO_CHANNEL,
      verified: true,
      // a store's order with a mistyped phone is still the order: the bad field is dropped
      onInvalid: 'drop',
    });
    return documentId;
  }

  async function record(inputs: TouchpointInput[]): Promise<TouchpointType[]> {
    const stored: TouchpointType[] = [];
    for (const input of inputs) if (await touchpoints().record(input)) stored.push(input.type);
    return stored;
  }

  async function onOrder(site: string, topic: string, order: WooOrder, now: number): Promise<WooResult> {
    const billing = order.billing ?? {};
    const customerId = await identify(
      {
        email: billing.email,
        externalId: externalIdOf(site, order.customer_id),
        name: joinName(billing.first_name, billing.last_name),
        phone: billing.phone,
        company: billing.company,
      },
      order.date_modified_gmt ?? now,
    );
    const properties = orderProperties(site, order);
    const base = { channel: WOO_CHANNEL, site, customerId, properties };
    const key = (milestone: string) => `${WOO_CHANNEL}:${site}:order:${order.id}:${milestone}`;
    const inputs: TouchpointInput[] = [];
    if (!NOT_PLACED.has(order.status)) {
      inputs.push({ ...base, type: 'order_placed', occurredAt: order.date_created_gmt ?? now, dedupeKey: key('placed') });
    }
    if (order.status === 'completed') {
      const at = order.date_completed_gmt ?? order.date_modified_gmt ?? now;
      inputs.push({ ...base, type: 'order_fulfilled', occurredAt: at, dedupeKey: key('fulfilled') });
    }
    if (inputs.length === 0) return { status: 'ignored', topic, customerId, recorded: [] };
    const recorded = await record(inputs);
    return { status: recorded.length > 0 ? 'stored' : 'duplicate', topic, customerId, recorded };
  }

  async function onCustomer(site: string, topic: string, customer: WooCustomer, now: number): Promise<WooResult> {
    const billing = customer.billing ?? {};
    const traits = {
      email: customer.email ?? billing.email,
      externalId: externalIdOf(site, customer.id),
      name: joinName(customer.first_name, customer.last_name) ?? joinName(billing.first_name, billing.last_name),
      phone: billing.phone,
      company: billing.company,
    };
    const customerId = await identify(traits, now);
    // a sign-up is a moment on the timeline; profile edits only update the CRM
    if (topic !== 'customer.created') return { status: 'stored', topic, customerId, recorded: [] };
    const { externalId: _ignored, ...shown } = traits;
    const recorded = await record([
      {
        type: 'identify',
        channel: WOO_CHANNEL,
        site,
        customerId,
        occurredAt: customer.date_created_gmt ?? now,
        properties: { ...shown, customer_id: String(customer.id), store: site },
        dedupeKey: `${WOO_CHANNEL}:${site}:customer:${customer.id}:created`,
      },
    ]);
    return { status: recorded.length > 0 ? 'stored' : 'duplicate', topic, customerId, recorded };
  }

  /** Claims the delivery id; false when it was handled (or is being handled) already. */
  async function claim(delivery: WooDelivery, topic: string): Promise<boolean> {
    const rows = await knex()(WEBHOOK_DELIVERIES_TABLE)
      .insert({
        source: WOO_CHANNEL,
        site: delivery.site,
        delivery_id: delivery.deliveryId,
        topic: topic.slice(0, 64),
        webhook_id: delivery.webhookId ?? null,
        received_at: Date.now(),
      })
      .onConflict(['source', 'site', 'delivery_id'])
      .ignore()
      .returning('delivery_id');
    return Array.isArray(rows) && rows.length === 1;
  }

  const release = (delivery: WooDelivery) =>
    knex()(WEBHOOK_DELIVERIES_TABLE).where({ source: WOO_CHANNEL, site: delivery.site, delivery_id: delivery.deliveryId }).delete();

  return {
    /**
     * Handles one verified delivery. The delivery id is claimed first, so a replay (or the
     * same delivery arriving twice at once) runs nothing; if handling fails the claim is
     * released, so WooCommerce's next attempt is not taken for a replay.
     */
    async receive(delivery: WooDelivery, event: WooEvent): Promise<WooResult> {
      if (!(await claim(delivery, event.topic))) return { status: 'duplicate', topic: event.topic };
      try {
        const now = Date.now();
        if (event.kind === 'order') return await onOrder(delivery.site, event.topic, event.order, now);
        if (event.kind === 'customer') return await onCustomer(delivery.site, event.topic, event.customer, now);
        return { status: 'ignored', topic: event.topic };
      } catch (error) {
        await release(delivery).catch(() => undefined);
        throw error;
      }
    },
  };
};
