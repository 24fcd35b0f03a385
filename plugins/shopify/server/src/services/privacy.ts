import type { Core } from '@strapi/strapi';
import { TABLES } from '../utils/constants';
import { getService } from '../utils/get-service';

/** Whom a privacy request is about (see plugin::crm.privacy). */
export interface PrivacySubject {
  email?: string | null;
  phone?: string | null;
  customerId?: string | null;
  /** shopify:<shop>:<customer id> for a Shopify customer */
  externalId?: string | null;
}

const SHOPIFY_ID = /^shopify:([^:]+):(\d+)$/;

/**
 * The shopify plugin's own part of a privacy request, like every other plugin's `privacy`
 * service: the customer's version rows (out-of-order handling), their checkouts (cart contents,
 * address) and the exports made for them.
 * Webhook deliveries keep their payload only until processed; those still waiting that name
 * the customer lose it (and are not run). The catalog holds nothing about a customer.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const shopifyCustomer = (s: PrivacySubject) => {
    const m = SHOPIFY_ID.exec(s.externalId ?? '');
    return m ? { shop: m[1], id: m[2] } : null;
  };

  /** checkouts are the customer's by address or by Shopify customer id */
  const checkoutsOf = (s: PrivacySubject, c: { shop: string; id: string } | null) => {
    const email = s.email?.trim().toLowerCase();
    if (!email && !c) return null;
    return knex()(TABLES.checkouts).where((w) => {
      if (email) w.orWhere('email', email);
      if (c) w.orWhere({ shop: c.shop, shopify_customer_id: c.id });
      if (s.customerId) w.orWhere('customer_id', s.customerId);
    });
  };

  return {
    async export(subject: PrivacySubject) {
      const c = shopifyCustomer(subject);
      const checkouts = (await checkoutsOf(subject, c)) ?? [];
      if (!c) return { versions: [], exports: [], checkouts };
      return {
        checkouts,
        versions: await knex()(TABLES.versions).where({ shop: c.shop, entity_id: c.id }).whereIn('kind', ['customer', 'consent']),
        // earlier exports by id and date only: not their content again
        exports: await knex()(TABLES.exports).where({ shop: c.shop, customer_id: c.id }).select('id', 'request_id', 'created_at'),
      };
    },

    async redact(subject: PrivacySubject): Promise<Record<string, number>> {
      const c = shopifyCustomer(subject);
      const checkouts = Number((await checkoutsOf(subject, c)?.delete()) ?? 0);
      if (!c) return { versions: 0, exports: 0, checkouts, webhooks: 0 };
      const versions = await knex()(TABLES.versions).where({ shop: c.shop, entity_id: c.id }).whereIn('kind', ['customer', 'consent']).delete();
      const exports = await knex()(TABLES.exports).where({ shop: c.shop, customer_id: c.id }).delete();
      // deliveries not processed yet that carry the customer (payloads are stored compact: "id":123,)
      const needles = [subject.email, subject.phone, `:${c.id},`, `:${c.id}}`].filter((n): n is string => !!n);
      const webhooks = await getService(strapi, 'webhooks').redactPayloads(c.shop, needles);
      return { versions: Number(versions), exports: Number(exports), checkouts, webhooks };
    },
  };
};
