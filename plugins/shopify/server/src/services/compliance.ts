import type { Core } from '@strapi/strapi';
import { TABLES } from '../utils/constants';
import type { ShopifyPrivacyRequest } from '../webhooks/payloads';
import type { PrivacySubject } from './privacy';
import { externalIdOf } from './timeline';

/** What a plugin exposes as its `privacy` service to take part in privacy requests. */
export interface PrivacyProvider {
  export(subject: PrivacySubject): Promise<unknown>;
  redact(subject: PrivacySubject): Promise<unknown>;
}

const isProvider = (s: unknown): s is PrivacyProvider =>
  typeof (s as PrivacyProvider | undefined)?.export === 'function' && typeof (s as PrivacyProvider | undefined)?.redact === 'function';

/**
 * Shopify's compliance topics. The registry is every loaded plugin with a `privacy` service
 * (export + redact of one subject): a plugin added later joins by adding that service, and
 * nothing here changes.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  function providers(): Array<[string, PrivacyProvider]> {
    const found: Array<[string, PrivacyProvider]> = [];
    for (const name of Object.keys(strapi.plugins).sort()) {
      let service: unknown;
      try {
        service = strapi.plugin(name).service('privacy');
      } catch {
        continue;
      }
      if (isProvider(service)) found.push([name, service]);
    }
    return found;
  }

  /** The request's customer, with the CRM customer it became (by Shopify id, else email). */
  async function subjectOf(shop: string, req: ShopifyPrivacyRequest): Promise<PrivacySubject> {
    const externalId = externalIdOf(shop, req.customer.id);
    const email = req.customer.email?.includes('@') ? req.customer.email : null;
    let customerId: string | null = null;
    if (strapi.contentTypes['plugin::crm.customer' as never]) {
      const crm = strapi.db.query('plugin::crm.customer' as never);
      const row = ((await crm.findOne({ where: { externalId }, select: ['documentId'] })) ?? (email ? await crm.findOne({ where: { email: { $eqi: email } }, select: ['documentId'] }) : null)) as {
        documentId?: string;
      } | null;
      customerId = row?.documentId ?? null;
    }
    return { email, phone: req.customer.phone ?? null, externalId, customerId };
  }

  return {
    providers: () => providers().map(([name]) => name),

    /** customers/data_request: every plugin's data on the customer, stored as one JSON export. */
    async dataRequest(shop: string, req: ShopifyPrivacyRequest): Promise<{ exportId: number; plugins: string[] }> {
      const subject = await subjectOf(shop, req);
      const data: Record<string, unknown> = {};
      for (const [name, provider] of providers()) data[name] = await provider.export(subject);
      const document = { shop, customer: req.customer, ordersRequested: req.orders_requested ?? [], subject, data };
      const [row] = await knex()(TABLES.exports)
        .insert({ shop, customer_id: req.customer.id, request_id: req.data_request?.id ?? null, created_at: Date.now(), data: JSON.stringify(document) })
        .returning('id');
      const exportId = Number(typeof row === 'object' ? row.id : row);
      strapi.log.info(`[shopify] data request for customer ${req.customer.id} of ${shop}: export ${exportId}`);
      return { exportId, plugins: Object.keys(data) };
    },

    /** customers/redact: every plugin deletes or anonymizes what it holds on the customer. */
    async redact(shop: string, req: ShopifyPrivacyRequest): Promise<Record<string, unknown>> {
      const subject = await subjectOf(shop, req);
      const removed: Record<string, unknown> = {};
      for (const [name, provider] of providers()) removed[name] = await provider.redact(subject);
      return removed;
    },

    /** shop/redact (48 hours after uninstall): everything this plugin holds for the shop. */
    async shopRedact(shop: string): Promise<Record<string, number>> {
      const removed: Record<string, number> = {};
      for (const table of [TABLES.exports, TABLES.versions, TABLES.checkouts, TABLES.products, TABLES.backfill, TABLES.sessions, TABLES.deliveries, TABLES.shops]) {
        removed[table] = Number(await knex()(table).where({ shop }).delete());
      }
      return removed;
    },

    async getExport(id: number) {
      const row = await knex()(TABLES.exports).where({ id }).first();
      if (!row) return null;
      return { id: Number(row.id), shop: row.shop as string, customerId: row.customer_id as string, requestId: (row.request_id as string | null) ?? null, createdAt: new Date(Number(row.created_at)).toISOString(), ...JSON.parse(row.data) };
    },
  };
};
