import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import { TABLES } from '../utils/constants';
import { insertedCount } from '../utils/db';
import { getService } from '../utils/get-service';
import { checkoutSchema, consentSchema, privacyRequestSchema, customerSchema, deletedSchema, fulfillmentSchema, orderSchema, productSchema } from '../webhooks/payloads';

export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  /** X-Shopify-Triggered-At (epoch ms), else the arrival time */
  triggeredAt: number;
}

export interface DeliveryResult {
  status: 'processed' | 'duplicate' | 'ignored';
  topic: string;
  reason?: string;
  detail?: Record<string, unknown>;
}

export class PayloadError extends Error {}

function parse<T extends z.ZodType>(schema: T, payload: unknown): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new PayloadError(`payload: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}

/**
 * Every topic shopify.app.toml subscribes to (a unit test keeps the two and the switch below in
 * sync). `later`: subscribed, acknowledged so Shopify does not retry, handled in a later change.
 */
export const TOPICS = {
  handled: [
    'app/uninstalled',
    'customers/create',
    'customers/update',
    'customers/email_marketing_consent_update',
    'orders/create',
    'orders/paid',
    'orders/updated',
    'orders/fulfilled',
    'fulfillments/create',
    'fulfillments/update',
    'products/create',
    'products/update',
    'products/delete',
    'checkouts/create',
    'checkouts/update',
  ],
  later: [],
  compliance: ['customers/data_request', 'customers/redact', 'shop/redact'],
} as const;
const LATER = new Set<string>(TOPICS.later);
/** GDPR topics: still owed after the app is uninstalled (shop/redact comes 48 hours later) */
const COMPLIANCE = new Set<string>(TOPICS.compliance);

/**
 * One verified delivery: claimed by X-Shopify-Webhook-Id first (a retry of the same delivery
 * runs nothing), then handed to its topic's handler. If the handler fails the claim is
 * released and the caller answers 503, so Shopify's retry is not taken for a duplicate.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  async function claim(delivery: Delivery): Promise<boolean> {
    const rows = await knex()(TABLES.deliveries)
      .insert({ webhook_id: delivery.webhookId, shop: delivery.shop, topic: delivery.topic.slice(0, 64), status: 'processing', received_at: Date.now() })
      .onConflict('webhook_id')
      .ignore()
      .returning('webhook_id');
    return insertedCount(rows) === 1;
  }

  async function handle(delivery: Delivery, payload: unknown): Promise<Omit<DeliveryResult, 'topic'>> {
    const { shop, topic, triggeredAt } = delivery;
    const timeline = getService(strapi, 'timeline');
    switch (topic) {
      case 'products/create':
      case 'products/update':
        return { status: 'processed', detail: { applied: await getService(strapi, 'catalog').upsert(shop, parse(productSchema, payload), triggeredAt) } };
      case 'products/delete':
        return { status: 'processed', detail: { applied: await getService(strapi, 'catalog').remove(shop, parse(deletedSchema, payload).id, triggeredAt) } };
      case 'customers/create':
      case 'customers/update':
        return { status: 'processed', detail: { ...(await timeline.onCustomer(shop, topic, parse(customerSchema, payload), triggeredAt)) } };
      case 'orders/create':
      case 'orders/paid':
      case 'orders/updated':
      case 'orders/fulfilled': {
        const order = parse(orderSchema, payload);
        const detail = await timeline.onOrder(shop, order, triggeredAt);
        await getService(strapi, 'checkouts').onOrder(shop, order, triggeredAt);
        return { status: 'processed', detail: { ...detail } };
      }
      case 'checkouts/create':
      case 'checkouts/update':
        return { status: 'processed', detail: await getService(strapi, 'checkouts').onCheckout(shop, parse(checkoutSchema, payload), triggeredAt) };
      case 'customers/email_marketing_consent_update':
        return { status: 'processed', detail: { ...(await getService(strapi, 'consent').onConsent(shop, parse(consentSchema, payload), triggeredAt)) } };
      case 'fulfillments/create':
      case 'fulfillments/update':
        return { status: 'processed', detail: { ...(await getService(strapi, 'shipping').onFulfillment(shop, parse(fulfillmentSchema, payload), triggeredAt)) } };
      case 'customers/data_request':
        return { status: 'processed', detail: await getService(strapi, 'compliance').dataRequest(shop, parse(privacyRequestSchema, payload)) };
      case 'customers/redact':
        return { status: 'processed', detail: await getService(strapi, 'compliance').redact(shop, parse(privacyRequestSchema, payload)) };
      case 'shop/redact':
        return { status: 'processed', detail: await getService(strapi, 'compliance').shopRedact(shop) };
      case 'app/uninstalled':
        await getService(strapi, 'shops').uninstall(shop);
        return { status: 'processed' };
      default:
        return { status: 'ignored', reason: LATER.has(topic) ? 'not handled yet' : 'unknown topic' };
    }
  }

  return {
    async receive(delivery: Delivery, payload: unknown): Promise<DeliveryResult> {
      const state = await getService(strapi, 'shops').state(delivery.shop);
      // after app/uninstalled: acknowledged (Shopify stops retrying) and ignored
      if (state === 'uninstalled' && !COMPLIANCE.has(delivery.topic)) return { status: 'ignored', topic: delivery.topic, reason: 'the shop uninstalled the app' };
      if (!(await claim(delivery))) return { status: 'duplicate', topic: delivery.topic };
      try {
        const result = await handle(delivery, payload);
        await knex()(TABLES.deliveries).where({ webhook_id: delivery.webhookId }).update({ status: result.status === 'ignored' ? 'ignored' : 'done' });
        return { ...result, topic: delivery.topic };
      } catch (error) {
        await knex()(TABLES.deliveries).where({ webhook_id: delivery.webhookId }).delete().catch(() => undefined);
        throw error;
      }
    },
  };
};
