import type { Core } from '@strapi/strapi';
import type { TouchpointType } from '../contracts/events';
import { countryOf } from '../collect/enrich';
import { scrubSecrets } from '../contracts/sensitive';
import type { TouchpointInput } from '../store/rows';
import { VISITORS_TABLE } from '../utils/constants';
import type { IdentifyCall, TrackCall } from '../schemas/server-api';
import { crmCustomers } from '../utils/crm';
import { getService } from '../utils/get-service';

export interface CallResult {
  messageId?: string;
  status: 'stored' | 'duplicate';
  customerId: string | null;
}

type Origin = Pick<TrackCall, 'country' | 'ip' | 'source' | 'medium' | 'campaign' | 'referrer' | 'site' | 'device'>;

/** The origin fields as touchpoint columns, and the properties the storefront would carry. */
function originOf(call: Origin): { columns: Partial<TouchpointInput>; props: Record<string, string> } {
  const country = call.country ?? (call.ip ? countryOf(call.ip) : null);
  const props: Record<string, string> = {};
  if (call.source) props.utm_source = call.source.toLowerCase();
  if (call.medium) props.utm_medium = call.medium.toLowerCase();
  if (call.campaign) props.utm_campaign = call.campaign;
  if (call.referrer) props.referrer = call.referrer;
  return {
    columns: { country, source: call.source?.toLowerCase() ?? null, sourceChannel: call.medium?.toLowerCase() ?? null, site: call.site ?? null, device: call.device ?? null },
    props,
  };
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
        // a visitor first met here is first and last seen at the event time, not at load time
        await strapi.db.connection(VISITORS_TABLE).insert({ visitor_id: call.anonymousId, last_seen_at: at, first_seen_at: at }).onConflict('visitor_id').ignore();
        await touchpoints().linkVisitor(call.anonymousId, documentId);
        getService(strapi, 'collector').rememberCustomer(call.anonymousId, documentId);
      }
      return documentId;
    }
    return call.anonymousId ? touchpoints().customerOfVisitor(call.anonymousId) : null;
  }

  /**
   * Backfilled history arrives in any order: a visitor's first and last seen follow the event
   * times (min / max), not the load order. (New visitor rows are written by linkVisitor.)
   */
  async function seenAt(visitorId: string | undefined, at: number) {
    if (!visitorId) return;
    const knex = strapi.db.connection;
    await knex(VISITORS_TABLE).where({ visitor_id: visitorId }).andWhere('first_seen_at', '>', at).update({ first_seen_at: at });
    await knex(VISITORS_TABLE).where({ visitor_id: visitorId }).andWhere('last_seen_at', '<', at).update({ last_seen_at: at });
  }

  return {
    async track(call: TrackCall): Promise<CallResult> {
      const at = toMs(call.timestamp);
      const customerId = await resolveCustomer(call, at);
      const own = call.properties ? scrubSecrets(call.properties) : {};
      const origin = originOf(call);
      const money = call.value !== undefined ? { value: call.value, currency: call.currency } : {};
      const properties = { ...own, ...origin.props, ...money, ...(call.type ? {} : { event: call.event }) };
      await seenAt(call.anonymousId, at);
      const stored = await touchpoints().record({
        ...origin.columns,
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
      const origin = originOf(call);
      await seenAt(call.anonymousId, at);
      const stored = await touchpoints().record({
        ...origin.columns,
        type: 'identify',
        channel: call.channel,
        occurredAt: at,
        visitorId: call.anonymousId ?? null,
        customerId,
        properties: { ...(call.properties ? scrubSecrets(call.properties) : {}), ...origin.props, ...call.traits, ...(call.userId ? { user_id: call.userId } : {}) },
        dedupeKey: call.messageId ? `${call.channel}:${call.messageId}` : null,
      });
      return { messageId: call.messageId, status: stored ? 'stored' : 'duplicate', customerId };
    },
  };
};
