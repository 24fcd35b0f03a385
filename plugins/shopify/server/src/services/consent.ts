import type { Core } from '@strapi/strapi';
import { SHOPIFY_CHANNEL, TABLES } from '../utils/constants';
import { peers } from '../utils/peers';
import type { ShopifyConsent } from '../webhooks/payloads';
import { externalIdOf } from './timeline';

const CUSTOMER_UID = 'plugin::crm.customer';
type CrmConsent = 'subscribed' | 'unsubscribed' | 'pending' | 'unknown';

/**
 * Shopify's email marketing states onto the CRM's. Only an explicit "subscribed" allows
 * marketing mail; not_subscribed, unsubscribed, redacted and invalid all withhold it.
 */
export function crmConsentOf(state: string): CrmConsent {
  switch (state.toLowerCase()) {
    case 'subscribed':
      return 'subscribed';
    case 'pending':
      return 'pending';
    default:
      return 'unsubscribed';
  }
}

export interface ConsentResult {
  customerId: string | null;
  applied: boolean;
  consent: CrmConsent;
}

/**
 * customers/email_marketing_consent_update onto the CRM customer (emailConsent, emailConsentAt,
 * emailConsentSource). The newer event wins: an event older than the consent the customer
 * already has (from Shopify or from an unsubscribe link in our own mail) changes nothing.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const peer = peers(strapi);

  /** Claims version `at` of the shop customer's consent; false when an equal or newer one was applied. */
  async function newer(shop: string, customerId: string, at: number): Promise<boolean> {
    return knex().transaction(async (trx) => {
      const where = { shop, kind: 'consent', entity_id: customerId };
      const row = await trx(TABLES.versions).where(where).first('updated_at');
      if (row && Number(row.updated_at) >= at) return false;
      if (row) await trx(TABLES.versions).where(where).update({ updated_at: at });
      else await trx(TABLES.versions).insert({ ...where, updated_at: at });
      return true;
    });
  }

  return {
    async onConsent(shop: string, event: ShopifyConsent, deliveredAt: number): Promise<ConsentResult> {
      const consent = crmConsentOf(event.email_marketing_consent.state);
      const at = event.email_marketing_consent.consent_updated_at ?? deliveredAt;
      const customers = peer.customers();
      if (!customers) return { customerId: null, applied: false, consent };
      const email = event.email_address?.includes('@') ? event.email_address : undefined;
      const { documentId } = await customers.identify({ email, externalId: externalIdOf(shop, event.customer_id) }, { seenAt: new Date(at), source: SHOPIFY_CHANNEL, verified: true });
      if (!(await newer(shop, event.customer_id, at))) return { customerId: documentId, applied: false, consent };
      const current = (await strapi.documents(CUSTOMER_UID as never).findOne({ documentId, fields: ['emailConsentAt'] } as never)) as { emailConsentAt?: string | null } | null;
      // an unsubscribe through our own mail after this event stays
      if (current?.emailConsentAt && Date.parse(current.emailConsentAt) > at) return { customerId: documentId, applied: false, consent };
      await strapi.documents(CUSTOMER_UID as never).update({
        documentId,
        data: { emailConsent: consent, emailConsentAt: new Date(at).toISOString(), emailConsentSource: `shopify:${event.email_marketing_consent.opt_in_level ?? 'unknown'}`.slice(0, 128) },
      } as never);
      return { customerId: documentId, applied: true, consent };
    },
  };
};
