import type { Core } from '@strapi/strapi';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID, SHOPIFY_CHANNEL, TABLES } from '../utils/constants';
import { insertedCount } from '../utils/db';
import { peers } from '../utils/peers';
import type { ShopifyCheckout, ShopifyOrder } from '../webhooks/payloads';
import { externalIdOf } from './timeline';

const MAX_ITEMS = 100;
const HOUR = 3_600_000;
const SWEEP_BATCH = 200;

interface CheckoutRow {
  shop: string;
  token: string;
  customer_id: string | null;
  shopify_customer_id: string | null;
  email: string | null;
  items: string | null;
  total: string | null;
  currency: string | null;
  recovery_url: string | null;
  updated_at: string | number | null;
}

/** "Hex bolt M10 - 20 mm": the names a buyer saw in their cart, for the email */
const itemsOf = (checkout: ShopifyCheckout) =>
  checkout.line_items.slice(0, MAX_ITEMS).map((item) => ({
    name: [item.title, item.variant_title].filter(Boolean).join(' - ') || null,
    sku: item.sku || null,
    quantity: item.quantity,
    price: item.price ?? null,
    product_id: item.product_id ?? null,
    variant_id: item.variant_id ?? null,
  }));

/**
 * Abandoned checkouts (checkouts/create and update): each checkout is kept with the newest
 * state Shopify sent (older deliveries are ignored); an order carrying its checkout_token
 * completes it, whichever arrives first. A sweep records `checkout_abandoned` once for each
 * checkout left longer than abandonAfterHours with an address to write to — the touchpoint
 * the abandoned-cart flow starts from, with the products by name and Shopify's recovery link.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const table = () => knex()(TABLES.checkouts);
  const peer = peers(strapi);
  const settings = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;

  async function abandon(row: CheckoutRow, now: number): Promise<boolean> {
    // the claim: one sweep (of however many instances) records it
    const claimed = await table().where({ shop: row.shop, token: row.token }).whereNull('abandoned_at').whereNull('completed_at').update({ abandoned_at: now });
    if (claimed !== 1) return false;
    try {
      const customers = peer.customers();
      const traits = { email: row.email ?? undefined, ...(row.shopify_customer_id ? { externalId: externalIdOf(row.shop, row.shopify_customer_id) } : {}) };
      const customerId = customers ? (await customers.identify(traits, { seenAt: new Date(Number(row.updated_at ?? now)), source: SHOPIFY_CHANNEL, verified: true, onInvalid: 'drop' })).documentId : null;
      if (customerId) await table().where({ shop: row.shop, token: row.token }).update({ customer_id: customerId });
      const items = row.items ? (JSON.parse(row.items) as unknown[]) : [];
      await peer.touchpoints()?.record({
        type: 'checkout_abandoned',
        channel: SHOPIFY_CHANNEL,
        site: row.shop,
        customerId,
        occurredAt: now,
        url: row.recovery_url,
        properties: { checkout_token: row.token, items, item_count: items.length, total: row.total, currency: row.currency, recovery_url: row.recovery_url, store: row.shop },
        dedupeKey: `${SHOPIFY_CHANNEL}:${row.shop}:checkout:${row.token}:abandoned`,
      });
      return true;
    } catch (error) {
      // not recorded: the next sweep tries again (the touchpoint's dedupe key keeps it single)
      await table().where({ shop: row.shop, token: row.token }).update({ abandoned_at: null });
      throw error;
    }
  }

  return {
    async onCheckout(shop: string, checkout: ShopifyCheckout, deliveredAt: number): Promise<{ applied: boolean; completed: boolean }> {
      const at = checkout.updated_at ?? checkout.created_at ?? deliveredAt;
      const fields = {
        checkout_id: checkout.id ?? null,
        shopify_customer_id: checkout.customer?.id ?? null,
        email: (checkout.email ?? checkout.customer?.email)?.toLowerCase() ?? null,
        items: JSON.stringify(itemsOf(checkout)),
        total: checkout.total_price ?? null,
        currency: checkout.currency ?? null,
        recovery_url: checkout.abandoned_checkout_url ?? null,
        updated_at: at,
      };
      const inserted = insertedCount(
        await table()
          .insert({ shop, token: checkout.token, ...fields, completed_at: checkout.completed_at ?? null })
          .onConflict(['shop', 'token'])
          .ignore()
          .returning('token'),
      );
      // else newer than what is stored (or a stub an order left): a late, older delivery changes nothing
      const applied =
        inserted === 1 ||
        (await table()
          .where({ shop, token: checkout.token })
          .where((w) => w.whereNull('updated_at').orWhere('updated_at', '<', at))
          .update({ ...fields, completed_at: knex().raw('coalesce(completed_at, ?)', [checkout.completed_at ?? null]) })) === 1;
      const row = await table().where({ shop, token: checkout.token }).first('completed_at');
      return { applied, completed: row?.completed_at != null };
    },

    /** An order from a checkout completes it, also when the order arrives before the checkout. */
    async onOrder(shop: string, order: ShopifyOrder, deliveredAt: number): Promise<void> {
      if (!order.checkout_token) return;
      const at = order.processed_at ?? order.created_at ?? deliveredAt;
      await table().insert({ shop, token: order.checkout_token, completed_at: at }).onConflict(['shop', 'token']).ignore();
      await table().where({ shop, token: order.checkout_token }).whereNull('completed_at').update({ completed_at: at });
    },

    /** Records every checkout abandoned as of `now`; returns how many. */
    async sweepAbandoned(now = Date.now()): Promise<number> {
      const cutoff = now - settings().abandonAfterHours * HOUR;
      let recorded = 0;
      for (;;) {
        const due = (await table()
          .whereNull('completed_at')
          .whereNull('abandoned_at')
          .where('updated_at', '<=', cutoff)
          .where((w) => w.whereNotNull('email').orWhereNotNull('shopify_customer_id'))
          .orderBy('updated_at')
          .limit(SWEEP_BATCH)) as CheckoutRow[];
        for (const row of due) if (await abandon(row, now)) recorded++;
        if (due.length < SWEEP_BATCH) return recorded;
      }
    },
  };
};
