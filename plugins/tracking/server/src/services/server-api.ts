import type { Core } from '@strapi/strapi';
import type { TouchpointType } from '../contracts/events';
import { scrubSecrets } from '../contracts/sensitive';
import type { IdentifyCall, TrackCall } from '../schemas/server-api';
import { crmCustomers } from '../utils/crm';
import { getService } from '../utils/get-service';

export interface CallResult {
  messageId?: string;
  status: 'stored' | 'duplicate';
  customerId: string | null;
}

const toMs = (ts: string | number | undefined) => (ts === undefined ? Date.now() : typeof ts === 'number' ? ts : Date.parse(ts));

/** track / identify from other systems, resolved to a CRM customer and stored as touchpoints. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const touchpoints = () => getService(strapi, 'touchpoints');

  async function resolveCustomer(call: { userId?: string; email?: string; anonymousId?: string }, at: number, extra = {}) {
    const customers = crmCustomers(strapi);
    if ((call.userId || call.email) && customers) {
      // an API token is a trusted source: what it says overrides unverified storefront claims
      const { documentId } = await customers.identify({ email: call.email, externalId: call.userId, ...extra }, { seenAt: new Date(at), verified: true });
      if (call.anonymousId) {
        await touchpoints().linkVisitor(call.anonymousId, documentId);
        getService(strapi, 'collector').rememberCustomer(call.anonymousId, documentId);
      }
      return documentId;
    }
    return call.anonymousId ? touchpoints().customerOfVisitor(call.anonymousId) : null;
  }

  return {
    async track(call: TrackCall): Promise<CallResult> {
      const at = toMs(call.timestamp);
      const customerId = await resolveCustomer(call, at);
      const own = call.properties ? scrubSecrets(call.properties) : {};
      const properties = call.type ? { ...own } : { ...own, event: call.event };
      const stored = await touchpoints().record({
        type: (call.type ?? 'custom') as TouchpointType,
        channel: call.channel,
        occurredAt: at,
        visitorId: call.anonymousId ?? null,
        customerId,
        url: call.url ?? null,
        properties,
        dedupeKey: `${call.channel}:${call.messageId}`,
      });
      return { messageId: call.messageId, status: stored ? 'stored' : 'duplicate', customerId };
    },

    async identify(call: IdentifyCall): Promise<CallResult> {
      const at = toMs(call.timestamp);
      const email = call.email ?? call.traits.email;
      const { name, phone, company, country } = call.traits;
      const customerId = await resolveCustomer({ ...call, email }, at, { name, phone, company, country });
      const stored = await touchpoints().record({
        type: 'identify',
        channel: call.channel,
        occurredAt: at,
        visitorId: call.anonymousId ?? null,
        customerId,
        properties: { ...call.traits, ...(call.userId ? { user_id: call.userId } : {}) },
        dedupeKey: call.messageId ? `${call.channel}:${call.messageId}` : null,
      });
      return { messageId: call.messageId, status: stored ? 'stored' : 'duplicate', customerId };
    },
  };
};
