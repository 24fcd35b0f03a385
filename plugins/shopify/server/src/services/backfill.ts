import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Core } from '@strapi/strapi';
import type { z } from 'zod';
import { AdminApiError, AdminClient } from '../backfill/admin-client';
import { type JobProgress, JobStore, RESOURCES, type Resource, toProgress } from '../backfill/jobs';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { HttpError } from '../utils/http';
import { customerSchema, orderSchema, productSchema } from '../webhooks/payloads';

/** database trouble in a row before a resource is marked failed */
const MAX_RETRIES = 8;
/** first-page filters: orders default to open ones only, the backfill wants them all */
const FILTERS: Record<Resource, Record<string, string>> = { customers: {}, products: {}, orders: { status: 'any' } };

/**
 * Imports a shop's existing customers, products and orders through the Admin REST API, on
 * install and on demand. Each item goes through the same service a webhook delivery of it
 * would (timeline.onCustomer / onOrder, catalog.upsert), keyed by Shopify id, so a backfilled
 * order equals a delivered one and importing it twice stores it once. Progress lives in
 * shopify_backfill_jobs; a page's cursor is committed after the page is stored, so a runner
 * killed mid-page redoes at most that page (idempotently) wherever it restarts.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = new JobStore(() => strapi.db.connection);
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;
  const stopping = new AbortController();
  /** shop → its runner in this process */
  const running = new Map<string, Promise<void>>();

  async function accessToken(shop: string): Promise<string | null> {
    const sessions = await getService(strapi, 'session-storage').findSessionsByShop(shop);
    return sessions.find((s) => !s.isOnline && s.accessToken)?.accessToken ?? null;
  }

  /** one item, through the webhook's own service and schema */
  async function importItem(shop: string, resource: Resource, raw: unknown, at: number) {
    if (resource === 'customers') await getService(strapi, 'timeline').onCustomer(shop, 'customers/update', parseItem(customerSchema, raw), at);
    else if (resource === 'products') await getService(strapi, 'catalog').upsert(shop, parseItem(productSchema, raw), at);
    else await getService(strapi, 'timeline').onOrder(shop, parseItem(orderSchema, raw), at);
  }

  async function runResource(shop: string, resource: Resource, client: AdminClient): Promise<'done' | 'busy' | 'stopped' | 'retry'> {
    const { leaseSeconds, pageSize } = config().backfill;
    const leaseMs = leaseSeconds * 1000;
    const row = await store.acquire(shop, resource, owner, leaseMs);
    if (!row) return 'busy';
    const signal = stopping.signal;
    try {
      if (row.total == null) await store.renew(shop, resource, owner, leaseMs, { total: await client.count(resource, FILTERS[resource]) });
      let cursor = row.cursor;
      let done = Number(row.done);
      const skipped: string[] = [];
      // a null cursor with progress means the last page was committed: nothing left
      if (cursor === null && done > 0) {
        await store.finish(shop, resource, owner, 'done');
        return 'done';
      }
      for (;;) {
        if (signal.aborted) break;
        const page = await client.page(resource, cursor, FILTERS[resource], pageSize);
        let sinceRenew = Date.now();
        for (const raw of page.items) {
          if (signal.aborted) break;
          try {
            await importItem(shop, resource, raw, Date.now());
          } catch (error) {
            // one malformed item (a webhook of it would be refused too) does not stop the rest
            if (!(error instanceof ItemError)) throw error;
            skipped.push(error.message);
          }
          // a long page keeps its lease (a slow database must not hand it to another runner)
          if (Date.now() - sinceRenew > leaseMs / 3) {
            if (!(await store.renew(shop, resource, owner, leaseMs))) return 'busy';
            sinceRenew = Date.now();
          }
        }
        if (signal.aborted) break;
        done += page.items.length;
        cursor = page.next;
        if (!(await store.commitPage(shop, resource, owner, leaseMs, cursor, done))) return 'busy';
        if (!cursor) {
          await store.finish(shop, resource, owner, 'done', skipped.length ? `${skipped.length} item(s) skipped; first: ${skipped[0]}` : null);
          return 'done';
        }
      }
      // shutting down: the lease is handed back, another instance (or the next start) resumes
      await store.finish(shop, resource, owner, 'pending');
      return 'stopped';
    } catch (error) {
      if (signal.aborted) {
        await store.finish(shop, resource, owner, 'pending').catch(() => undefined);
        return 'stopped';
      }
      if (!(error instanceof AdminApiError)) {
        // the database (a lock, a restart, a lost connection): the same page again later,
        // from the committed cursor; what was stored of it is stored again idempotently
        strapi.log.warn(`[shopify] backfill of ${resource} for ${shop} paused: ${(error as Error).message}`);
        await store.finish(shop, resource, owner, 'pending', `retrying after: ${(error as Error).message}`).catch(() => undefined);
        return 'retry';
      }
      // Shopify refused (401 revoked token, 403 missing scope, 404) or kept failing: the
      // merchant's fix comes first, then POST /shopify/backfill resumes from the cursor
      strapi.log.warn(`[shopify] backfill of ${resource} for ${shop} failed: ${error.message}`);
      await store.finish(shop, resource, owner, 'failed', error.message);
      return 'done';
    }
  }

  /** Works through a shop's queued resources; waits out another runner's lease, then takes over. */
  async function runShop(shop: string): Promise<void> {
    const token = await accessToken(shop);
    if (!token) {
      for (const resource of RESOURCES) {
        if ((await store.acquire(shop, resource, owner, 60_000)) !== null) await store.finish(shop, resource, owner, 'failed', 'the shop has no offline access token (install the app again)');
      }
      return;
    }
    const { apiVersion, apiOrigin } = config();
    const client = new AdminClient({
      shop,
      accessToken: token,
      apiVersion,
      apiOrigin: apiOrigin || undefined,
      signal: stopping.signal,
      onWait: (reason, ms) => strapi.log.debug(`[shopify] backfill ${shop}: ${reason}, waiting ${ms} ms`),
    });
    const pause = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
    for (const resource of RESOURCES) {
      let retries = 0;
      for (;;) {
        if (stopping.signal.aborted) return;
        const row = await store.get(shop, resource);
        if (!row || row.status === 'done' || row.status === 'failed') break;
        const outcome = await runResource(shop, resource, client);
        if (outcome === 'done') break;
        if (outcome === 'stopped') return;
        if (outcome === 'retry') {
          if (++retries > MAX_RETRIES) {
            const last = (await store.get(shop, resource))?.error ?? '';
            if (await store.acquire(shop, resource, owner, 60_000)) await store.finish(shop, resource, owner, 'failed', `gave up after ${MAX_RETRIES} retries: ${last}`.trim());
            break;
          }
          await pause(Math.min(30_000, 500 * 2 ** retries));
          continue;
        }
        // another runner holds it: look again when its lease runs out
        const expires = Number((await store.get(shop, resource))?.lease_expires ?? 0);
        await pause(Math.min(60_000, Math.max(250, expires - Date.now() + 50)));
      }
    }
  }

  /** shops queued again while their runner was past some resources: it goes round once more */
  const again = new Set<string>();

  function launch(shop: string) {
    if (stopping.signal.aborted) return;
    if (running.has(shop)) {
      again.add(shop);
      return;
    }
    const job = runShop(shop)
      .catch((error) => {
        strapi.log.error(`[shopify] backfill runner for ${shop} stopped: ${(error as Error).stack ?? error}`);
      })
      .finally(() => {
        running.delete(shop);
        if (again.delete(shop)) launch(shop);
      });
    running.set(shop, job);
  }

  return {
    /** Queues (or resumes) a shop's backfill and starts it in the background; its progress. */
    async start(shop: string): Promise<JobProgress[]> {
      const state = await getService(strapi, 'shops').state(shop);
      if (state === 'unknown') throw new HttpError(404, 'NotFoundError', `shop ${shop} has not installed the app`);
      if (state === 'uninstalled') throw new HttpError(409, 'ConflictError', `shop ${shop} uninstalled the app`);
      if (!(await accessToken(shop))) throw new HttpError(409, 'ConflictError', `shop ${shop} has no offline access token: install the app again`);
      await store.enqueue(shop);
      launch(shop);
      return this.progress(shop);
    },

    async progress(shop?: string): Promise<JobProgress[]> {
      const now = Date.now();
      return (await store.list(shop)).map((row) => toProgress(row, now));
    },

    /** At start: picks up every unfinished backfill (an instance killed mid-way resumes here). */
    async resumeAll(): Promise<number> {
      const rows = await store.list();
      const shops = [...new Set(rows.filter((r) => r.status === 'pending' || r.status === 'running').map((r) => r.shop))];
      for (const shop of shops) if ((await getService(strapi, 'shops').state(shop)) === 'installed') launch(shop);
      return shops.length;
    },

    /** resolves when this process's runners for the shop (or all) have stopped */
    async idle(shop?: string): Promise<void> {
      // a runner that goes round again replaces itself in the map
      while (shop ? running.has(shop) : running.size) await Promise.all(shop ? [running.get(shop)] : [...running.values()]);
    },

    /** Strapi destroy: runners hand their leases back and stop before the database closes. */
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.all([...running.values()]);
    },
  };
};

class ItemError extends Error {}

function parseItem<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const id = (raw as { id?: unknown })?.id;
    throw new ItemError(`item ${String(id).slice(0, 24)}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return result.data;
}
