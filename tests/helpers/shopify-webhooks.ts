/**
 * Shopify webhook deliveries in tests: POSTed signed as Shopify does, answered at once
 * (recorded), then processed by a worker. Tests wait for the delivery's status instead of
 * reading the HTTP answer for what processing did.
 */
import type { Core } from '@strapi/strapi';
import { expect } from 'vitest';
import { webhookHeaders } from '../fixtures/shopify';
import type { BootedStrapi } from './strapi';

export const WEBHOOK_URL = '/api/shopify/webhooks';

export interface WebhookOutcome {
  status: 'received' | 'processed' | 'failed' | 'ignored';
  topic: string;
  attempts: number;
  error: string | null;
  /** what processing did (the handler's result) */
  detail: Record<string, any> | null;
}

export interface DeliverOptions {
  webhookId?: string;
  /** epoch ms for X-Shopify-Triggered-At */
  triggeredAt?: number;
  /** header overrides; undefined removes one */
  headers?: Record<string, string | undefined>;
  /** the raw body sent instead of the serialized payload (the HMAC stays the payload's) */
  body?: string;
}

/** One delivery, as Shopify sends it. */
export function postWebhook(app: BootedStrapi, shop: string, topic: string, payload: unknown, options: DeliverOptions = {}) {
  const body = options.body ?? JSON.stringify(payload);
  const headers: Record<string, string | undefined> = {
    ...webhookHeaders(shop, topic, JSON.stringify(payload), { webhookId: options.webhookId, triggeredAt: options.triggeredAt ? new Date(options.triggeredAt).toISOString() : undefined }),
    ...options.headers,
  };
  const req = app.request.post(WEBHOOK_URL);
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) req.set(name, value);
  return req.send(body);
}

/**
 * Waits until a recorded delivery leaves 'received' (processed, failed or ignored) and returns
 * it; null when its row is gone (shop/redact deletes the shop's deliveries, its own included).
 */
export async function waitForWebhook(strapi: Core.Strapi, webhookId: string, timeoutMs = 30_000): Promise<WebhookOutcome | null> {
  const webhooks = strapi.plugin('shopify').service('webhooks');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await webhooks.get(webhookId);
    if (!view) return null;
    if (view.status !== 'received') return { status: view.status, topic: view.topic, attempts: view.attempts, error: view.error, detail: view.result };
    if (Date.now() > deadline) throw new Error(`webhook ${webhookId} (${view.topic}) still received after ${timeoutMs} ms (attempts ${view.attempts}, error ${view.error})`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Delivers and, when it was recorded, waits for its processing. `http` is the answer's status;
 * `status` is the delivery's outcome (processed / failed / ignored) or the answer's own
 * (duplicate, ignored) when nothing new was recorded; refused deliveries carry `error` only.
 */
export async function deliverAndWait(app: BootedStrapi, shop: string, topic: string, payload: unknown, options: DeliverOptions = {}) {
  const res = await postWebhook(app, shop, topic, payload, options);
  if (res.status !== 200) return { http: res.status, status: undefined, topic, detail: null, error: res.body?.error?.message as string | undefined, body: res.body };
  const body = res.body as { status: string; topic: string; webhookId: string; reason?: string };
  if (body.status !== 'received') return { http: 200, status: body.status, topic: body.topic, detail: null, reason: body.reason, body };
  const outcome = await waitForWebhook(app.strapi, body.webhookId);
  return { http: 200, body, ...(outcome ?? { topic, status: 'deleted' as const, detail: null }) };
}

/** Delivers, expects it to be recorded and processed, and returns what processing did. */
export async function deliverProcessed(app: BootedStrapi, shop: string, topic: string, payload: unknown, options: DeliverOptions = {}) {
  const result = await deliverAndWait(app, shop, topic, payload, options);
  expect(result.http, `${topic}: ${JSON.stringify(result.body)}`).toBe(200);
  return result;
}

/**
 * Delivers, waits for processing, and answers in the shape the HTTP response had when
 * webhooks were processed inline: { status: HTTP status, body: { status, topic, detail } }
 * (a refused delivery's body is the error answer).
 */
export async function deliverInResponseShape(app: BootedStrapi, shop: string, topic: string, payload: unknown, options: DeliverOptions = {}) {
  const r = await deliverAndWait(app, shop, topic, payload, options);
  return { status: r.http, body: r.http === 200 ? r : r.body };
}
