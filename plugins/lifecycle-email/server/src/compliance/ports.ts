import type { Core } from '@strapi/strapi';

/**
 * The two other contexts delivery talks to, behind small typed interfaces: the tracking
 * plugin's touchpoint store and the CRM's customers. Either may be absent (plugin disabled,
 * or the CRM without its emailConsent fields yet): delivery keeps working without them.
 */

export type EmailTouchpointType = 'email_sent' | 'email_opened' | 'email_clicked' | 'email_bounced' | 'unsubscribed';

export interface EmailTouchpoint {
  type: EmailTouchpointType;
  customerId: string | null;
  occurredAt: number;
  url?: string | null;
  properties: { message_id: number; template: string; campaign_id?: string; flow_id?: string; url?: string; proxy?: true };
  /** the same event recorded twice stays one touchpoint */
  dedupeKey?: string;
}

interface TouchpointsService {
  recordMany(inputs: Array<Record<string, unknown>>): Promise<number>;
}

export function touchpointsPort(strapi: Core.Strapi) {
  const service = (): TouchpointsService | null => {
    const plugin = strapi.plugin('tracking');
    return plugin ? (plugin.service('touchpoints') as TouchpointsService) : null;
  };
  return {
    async record(events: EmailTouchpoint[]): Promise<void> {
      const s = service();
      if (!s || events.length === 0) return;
      await s.recordMany(events.map((e) => ({ type: e.type, channel: 'email', occurredAt: e.occurredAt, customerId: e.customerId, url: e.url ?? null, properties: e.properties, dedupeKey: e.dedupeKey ?? null })));
    },
  };
}

const CUSTOMER_UID = 'plugin::crm.customer';

/** the CRM customer's attributes, or null when the CRM is not loaded */
const customerAttributes = (strapi: Core.Strapi) => (strapi.contentTypes as unknown as Record<string, { attributes: Record<string, unknown> } | undefined>)[CUSTOMER_UID]?.attributes ?? null;

export function consentPort(strapi: Core.Strapi) {
  /** the CRM customer model has the consent field (another change adds it) */
  const hasConsentField = () => Boolean(customerAttributes(strapi)?.emailConsent);
  const customers = () => {
    const plugin = strapi.plugin('crm');
    return plugin ? (plugin.service('customers') as Record<string, unknown>) : null;
  };
  /** The CRM's field is an enumeration (unknown | subscribed | unsubscribed | pending); a boolean is read too. */
  const refuses = (value: unknown) => value === false || value === 'unsubscribed' || value === 'pending';
  return {
    /** false only when the customer has said no (unsubscribed) or not yet confirmed (pending) */
    async allowsMarketing(customerId: string | null): Promise<boolean> {
      if (!customerId || !hasConsentField()) return true;
      const c = (await strapi.documents(CUSTOMER_UID as never).findOne({ documentId: customerId, fields: ['emailConsent'] } as never)) as { emailConsent?: unknown } | null;
      return !refuses(c?.emailConsent);
    },
    /** Records the recipient's choice on the customer; a CRM without the field is left alone. */
    async setEmailConsent(customerId: string | null, consent: boolean, at: Date): Promise<void> {
      if (!customerId) return;
      const service = customers();
      if (service && typeof service.setEmailConsent === 'function') {
        await (service.setEmailConsent as (id: string, consent: boolean, at: Date, source: string) => Promise<unknown>)(customerId, consent, at, 'email_link');
        return;
      }
      const attrs = customerAttributes(strapi);
      const field = attrs?.emailConsent as { type?: string } | undefined;
      if (!field) return;
      const data: Record<string, unknown> = { emailConsent: field.type === 'boolean' ? consent : consent ? 'subscribed' : 'unsubscribed' };
      if (attrs?.emailConsentAt) data.emailConsentAt = at.toISOString();
      if (attrs?.emailConsentSource) data.emailConsentSource = 'email_link';
      await strapi.documents(CUSTOMER_UID as never).update({ documentId: customerId, data } as never);
    },
  };
}
