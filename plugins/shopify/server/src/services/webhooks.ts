import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { HttpError } from '../utils/http';
import { createBullmqQueue, createLocalQueue, PermanentError, type WebhookQueue } from '../webhooks/queue';
import { toView, type WebhookStatus, WebhookStore, type WebhookView } from '../webhooks/store';
import { checkoutSchema, consentSchema, privacyRequestSchema, customerSchema, deletedSchema, fulfillmentSchema, orderSchema, productSchema } from '../webhooks/payloads';

export interface Delivery {
  shop: string;
  topic: string;
  webhookId: string;
  /** X-Shopify-Triggered-At (epoch ms), else the arrival time */
  triggeredAt: number;
}

/** The answer to Shopify: recorded (processing follows), a duplicate, or ignored. */
export interface DeliveryReceipt {
  status: 'received' | 'duplicate' | 'ignored';
  topic: string;
  webhookId: string;
  reason?: string;
}

type Outcome = { status: 'processed' | 'ignored'; reason?: string; detail?: unknown };

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

/** the schema each topic's payload must pass: checked on receipt (a 400 stores nothing) and again when processed */
const SCHEMAS: Record<string, z.ZodType> = {
  'products/create': productSchema,
  'products/update': productSchema,
  'products/delete': deletedSchema,
  'customers/create': customerSchema,
  'customers/update': customerSchema,
  'orders/create': orderSchema,
  'orders/paid': orderSchema,
  'orders/updated': orderSchema,
  'orders/fulfilled': orderSchema,
  'checkouts/create': checkoutSchema,
  'checkouts/update': checkoutSchema,
  'customers/email_marketing_consent_update': consentSchema,
  'fulfillments/create': fulfillmentSchema,
  'fulfillments/update': fulfillmentSchema,
  'customers/data_request': privacyRequestSchema,
  'customers/redact': privacyRequestSchema,
};

/**
 * Verified deliveries: recorded by X-Shopify-Webhook-Id and answered at once (Shopify waits
 * 5 s and retries what is slow), then processed from the queue (BullMQ on Redis, or in process
 * for the quick start) with retries and exponential backoff. A worker leases the row before
 * it runs it, so a delivery sent three times, or enqueued again by the reconciler after Redis
 * lost its jobs, is processed once. Each handler applies only what is newer than what it
 * holds (Shopify's updated_at), so the order deliveries are processed in does not matter.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = new WebhookStore(() => strapi.db.connection);
  const config = () => (strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig).webhooks;
  let queue: WebhookQueue | undefined;
  let reconciler: NodeJS.Timeout | undefined;

  function queueOf(): WebhookQueue {
    if (queue) return queue;
    const c = config();
    const options = { attempts: c.attempts, backoffMs: c.backoffMs, concurrency: c.concurrency, log: strapi.log };
    queue = c.queue === 'bullmq' ? createBullmqQueue({ ...options, redisUrl: c.redisUrl, prefix: c.prefix }) : createLocalQueue(options);
    return queue;
  }

  async function handle(delivery: Delivery, payload: unknown): Promise<Outcome> {
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

  /** One attempt at one recorded delivery (the queue's processor). */
  async function processOne(webhookId: string, _attempt: number, finalAttempt: boolean): Promise<void> {
    const { leaseSeconds } = config();
    const row = await store.lease(webhookId, leaseSeconds * 1000);
    // processed already (a duplicate job), redacted, or another worker holds it
    if (!row) return;
    const delivery: Delivery = { shop: row.shop, topic: row.topic, webhookId, triggeredAt: Number(row.triggered_at ?? row.received_at) };
    try {
      // after app/uninstalled: nothing is applied (the compliance topics are still owed)
      if (!COMPLIANCE.has(row.topic) && (await getService(strapi, 'shops').state(row.shop)) !== 'installed') {
        await store.finish(webhookId, 'ignored', { reason: 'the shop uninstalled the app' });
        return;
      }
      if (row.payload == null) throw new PayloadError('the payload is gone (redacted or never kept)');
      const outcome = await handle(delivery, JSON.parse(row.payload));
      await store.finish(webhookId, outcome.status, outcome.detail ?? (outcome.reason ? { reason: outcome.reason } : null));
    } catch (error) {
      const permanent = error instanceof PayloadError;
      const message = (error as Error).message;
      await store.fail(webhookId, message, permanent || finalAttempt);
      strapi.log.warn(`[shopify] webhook ${webhookId} (${row.topic}, ${row.shop}) attempt ${row.attempts} failed${permanent || finalAttempt ? ', giving up' : ''}: ${message}`);
      throw permanent ? new PermanentError(message) : error;
    }
  }

  async function enqueue(webhookId: string): Promise<void> {
    try {
      await queueOf().enqueue(webhookId);
    } catch (error) {
      // the row is recorded: the reconciler enqueues it once the queue is reachable again
      strapi.log.warn(`[shopify] webhook ${webhookId} recorded but not enqueued (${(error as Error).message}); the reconciler will`);
    }
  }

  return {
    /**
     * Checks the payload against its topic's schema and records the delivery; the caller
     * answers 200 and a worker processes it.
     * @throws PayloadError when the payload does not fit its topic (nothing is recorded)
     */
    async receive(delivery: Delivery, payload: unknown): Promise<DeliveryReceipt> {
      const { webhookId, topic } = delivery;
      const schema = SCHEMAS[topic];
      if (schema) parse(schema, payload);
      const state = await getService(strapi, 'shops').state(delivery.shop);
      // after app/uninstalled: acknowledged (Shopify stops retrying), recorded without its payload, ignored
      if (state === 'uninstalled' && !COMPLIANCE.has(topic)) {
        const reason = 'the shop uninstalled the app';
        await store.record({ ...delivery, payload: null, status: 'ignored' });
        await store.finish(webhookId, 'ignored', { reason }).catch(() => undefined);
        return { status: 'ignored', topic, webhookId, reason };
      }
      // as Shopify sent it (compact): the worker parses it again, the same way
      if (!(await store.record({ ...delivery, payload: JSON.stringify(payload), status: 'received' }))) return { status: 'duplicate', topic, webhookId };
      await enqueue(webhookId);
      return { status: 'received', topic, webhookId };
    },

    /** The queue's processor, exposed for the worker wiring (bootstrap) and tests. */
    process: processOne,

    /** Starts this process's workers and the reconciler (bootstrap, when workers run here). */
    start(): void {
      const c = config();
      if (!c.workers) return;
      queueOf().startWorkers(processOne);
      const tick = (staleMs?: number) => this.reconcile(staleMs).catch((error: Error) => strapi.log.error(`[shopify] webhook reconciler: ${error.message}`));
      // at start every unprocessed delivery not held by a worker (the queue may have lost them all)
      void tick(0);
      if (c.reconcileMs > 0) {
        reconciler = setInterval(() => tick(), c.reconcileMs);
        reconciler.unref();
      }
    },

    /**
     * Enqueues again what is recorded but not processed and not held by a worker (Redis lost
     * its jobs, or an enqueue failed); jobs still waiting are not doubled (one jobId each).
     * @returns how many were enqueued
     */
    async reconcile(staleMs = config().reconcileStaleMs): Promise<number> {
      await this.prune().catch((error: Error) => strapi.log.warn(`[shopify] webhook retention: ${error.message}`));
      let n = 0;
      for (const webhookId of await store.unprocessed(Date.now() - staleMs, 1_000)) {
        await queueOf().enqueue(webhookId);
        n++;
      }
      if (n) strapi.log.info(`[shopify] webhook reconciler enqueued ${n} unprocessed deliver${n === 1 ? 'y' : 'ies'}`);
      return n;
    },

    /**
     * Retention: processed and ignored deliveries older than `retentionDays` are deleted, in
     * batches of 5,000 (short transactions: collect shares SQLite's one writer). Runs with each
     * reconciler pass. @returns how many rows went
     */
    async prune(now = Date.now()): Promise<number> {
      const days = config().retentionDays;
      if (days <= 0) return 0;
      let removed = 0;
      for (let pass = 0; pass < 20; pass++) {
        const n = await store.prune(now - days * 86_400_000, 5_000);
        removed += n;
        if (n < 5_000) break;
      }
      if (removed) strapi.log.info(`[shopify] webhook retention removed ${removed} deliveries older than ${days} days`);
      return removed;
    },

    /**
     * The admin's retry of a failed delivery (its payload is kept until it is processed).
     * @throws HttpError 404 unknown / 409 not failed
     */
    async retry(webhookId: string): Promise<WebhookView> {
      const row = await store.get(webhookId);
      if (!row) throw new HttpError(404, 'NotFoundError', `no webhook delivery ${webhookId}`);
      if (!(await store.requeue(webhookId))) throw new HttpError(409, 'ConflictError', `delivery ${webhookId} is ${row.status}, not failed${row.payload == null ? ' with its payload' : ''}`);
      await enqueue(webhookId);
      return toView((await store.get(webhookId)) as NonNullable<typeof row>);
    },

    async get(webhookId: string): Promise<WebhookView | null> {
      const row = await store.get(webhookId);
      return row ? toView(row) : null;
    },

    list(filter: { shop?: string; status?: WebhookStatus; limit?: number } = {}): Promise<WebhookView[]> {
      return store.list({ ...filter, limit: Math.min(200, Math.max(1, filter.limit ?? 50)) });
    },

    counts: (shop?: string) => store.counts(shop),

    /** customers/redact's part here (privacy service): unprocessed payloads naming the customer */
    redactPayloads: (shop: string, needles: string[]) => store.redactPayloads(shop, needles),

    /** Resolves when this queue has nothing waiting, delayed or running (tests, shutdown). */
    async idle(): Promise<void> {
      await queueOf().idle();
    },

    /** Strapi destroy: the reconciler stops, workers finish the jobs in hand. */
    async stop(): Promise<void> {
      if (reconciler) clearInterval(reconciler);
      reconciler = undefined;
      const q = queue;
      queue = undefined;
      await q?.close();
    },
  };
};
