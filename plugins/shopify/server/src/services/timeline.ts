import type { Core } from '@strapi/strapi';
import { SHOPIFY_CHANNEL, TABLES } from '../utils/constants';
import { peers, type TouchpointInput } from '../utils/peers';
import type { ShopifyCustomer, ShopifyOrder } from '../webhooks/payloads';

const MAX_ITEMS = 100;
const joinName = (first?: string, last?: string) => [first, last].filter(Boolean).join(' ').slice(0, 255) || undefined;
/** Shopify ids are per shop: two shops both have a customer 5. */
export const externalIdOf = (shop: string, customerId: string) => `shopify:${shop}:${customerId}`;

export interface TimelineResult {
  customerId: string | null;
  recorded: string[];
  /** false when the customer's data was older than what was applied already */
  applied: boolean;
}

/**
 * customers/* and orders/* onto the CRM and the timeline. Touchpoints are keyed by entity and
 * milestone (never by delivery), so every order counts once; a customer's traits are applied
 * only when their updated_at is newer than the last applied (shopify_entity_versions), so an
 * old delivery arriving late does not overwrite newer data.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const peer = peers(strapi);

  /** Claims version `at` of an entity; false when an equal or newer one was applied. */
  async function newer(shop: string, kind: string, entityId: string, at: number): Promise<boolean> {
    return knex().transaction(async (trx) => {
      const row = await trx(TABLES.versions).where({ shop, kind, entity_id: entityId }).first('updated_at');
      if (row && Number(row.updated_at) >= at) return false;
      if (row) await trx(TABLES.versions).where({ shop, kind, entity_id: entityId }).update({ updated_at: at });
      else await trx(TABLES.versions).insert({ shop, kind, entity_id: entityId, updated_at: at });
      return true;
    });
  }

  /** The CRM customer for a Shopify customer; its traits are written only when `apply`. */
  async function identify(shop: string, customer: Partial<ShopifyCustomer> & { id: string }, email: string | undefined, apply: boolean, seenAt: number) {
    const customers = peer.customers();
    if (!customers) return null;
    const externalId = externalIdOf(shop, customer.id);
    const traits = apply
      ? {
          email: customer.email ?? email,
          externalId,
          name: joinName(customer.first_name, customer.last_name),
          phone: customer.phone ?? customer.default_address?.phone,
          company: customer.default_address?.company,
        }
      : { externalId };
    // Shopify is a trusted source: its traits replace storefront claims
    const { documentId } = await customers.identify(traits, { seenAt: new Date(seenAt), source: SHOPIFY_CHANNEL, verified: true });
    if (apply) {
      // identify only fills gaps; the newest Shopify data also replaces what an older delivery
      // wrote (the CRM has no update service yet: its document is updated directly)
      const data = Object.fromEntries(Object.entries({ name: traits.name, phone: traits.phone, company: traits.company }).filter(([, v]) => v));
      if (Object.keys(data).length) await strapi.documents('plugin::crm.customer' as never).update({ documentId, data } as never);
    }
    return documentId;
  }

  async function record(inputs: TouchpointInput[]): Promise<string[]> {
    const touchpoints = peer.touchpoints();
    if (!touchpoints) return [];
    const stored: string[] = [];
    for (const input of inputs) if (await touchpoints.record(input)) stored.push(input.type);
    return stored;
  }

  return {
    async onCustomer(shop: string, topic: string, customer: ShopifyCustomer, deliveredAt: number): Promise<TimelineResult> {
      const at = customer.updated_at ?? customer.created_at ?? deliveredAt;
      const apply = await newer(shop, 'customer', customer.id, at);
      const customerId = await identify(shop, customer, undefined, apply, at);
      const recorded =
        topic === 'customers/create' || topic === 'customers/update'
          ? await record([
              {
                type: 'identify',
                channel: SHOPIFY_CHANNEL,
                site: shop,
                customerId,
                occurredAt: customer.created_at ?? at,
                // a sign-up is one moment on the timeline; later profile edits only update the CRM
                properties: { event: 'customer_created', customer_id: customer.id, store: shop },
                dedupeKey: `${SHOPIFY_CHANNEL}:${shop}:customer:${customer.id}:created`,
              },
            ])
          : [];
      return { customerId, recorded, applied: apply };
    },

    async onOrder(shop: string, order: ShopifyOrder, deliveredAt: number): Promise<TimelineResult> {
      let customerId: string | null = null;
      let applied = false;
      if (order.customer) {
        const at = order.customer.updated_at ?? order.updated_at ?? deliveredAt;
        applied = await newer(shop, 'customer', order.customer.id, at);
        customerId = await identify(shop, order.customer, order.email, applied, at);
      } else if (order.email && peer.customers()) {
        // a guest checkout: known by email only
        customerId = (await peer.customers()?.identify({ email: order.email }, { seenAt: new Date(deliveredAt), source: SHOPIFY_CHANNEL, verified: true }))?.documentId ?? null;
      }
      // only what does not change between order/create, paid and updated: the same
      // touchpoint whichever delivery lands first
      const properties = {
        order_id: order.id,
        order_number: order.name ?? String(order.order_number ?? order.id),
        total: order.total_price ?? null,
        currency: order.currency ?? null,
        item_count: order.line_items.length,
        items: order.line_items.slice(0, MAX_ITEMS).map((item) => ({
          name: item.name ?? item.title ?? null,
          sku: item.sku || null,
          quantity: item.quantity,
          price: item.price ?? null,
          product_id: item.product_id ?? null,
          variant_id: item.variant_id ?? null,
        })),
        store: shop,
      };
      const key = (milestone: string) => `${SHOPIFY_CHANNEL}:${shop}:order:${order.id}:${milestone}`;
      const base = { channel: SHOPIFY_CHANNEL, site: shop, customerId, properties };
      const inputs: TouchpointInput[] = [];
      if (!order.cancelled_at) inputs.push({ ...base, type: 'order_placed', occurredAt: order.processed_at ?? order.created_at ?? deliveredAt, dedupeKey: key('placed') });
      if (order.fulfillment_status === 'fulfilled') inputs.push({ ...base, type: 'order_fulfilled', occurredAt: order.updated_at ?? deliveredAt, dedupeKey: key('fulfilled') });
      return { customerId, recorded: await record(inputs), applied };
    },
  };
};
