import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { CrmCustomers, CrmOrders, CustomerSummary, CustomerTraits, IdentifyContext, IdentifyResult, MergeResult } from '@moat/contracts';
import { service } from '@moat/contracts';
import { CUSTOMERS_TABLE } from '../migrations';
import { CUSTOMER_UID, FOLLOW_UP_UID, INQUIRY_UID } from '../utils/constants';
import { assertValid, normalizeContact, normalizeEmail, withoutInvalid } from '../utils/traits';
import { mergeTraits, sameSet, type TraitKey, type TraitValues, traitTimesOf, unverifiedOf } from './trust';

export type { CustomerTraits, IdentifyContext, IdentifyResult };

/** Only the traits that are present: identifying never blanks what we already know. */
function presentTraits(traits: CustomerTraits, email?: string, externalId?: string): TraitValues {
  const out: TraitValues = {};
  for (const key of ['name', 'phone', 'company', 'country'] as const) {
    const value = traits[key]?.trim();
    if (value) out[key] = value;
  }
  if (email) out.email = email;
  if (externalId) out.externalId = externalId;
  return out;
}

/**
 * By external id, then by normalized email: raw look-ups on the unique indexes
 * (lower(trim(email)) and external_id; migrations/index.ts), never a table scan. On a bare
 * knex so bench/identify.ts measures exactly this query.
 */
export async function findCustomerId(knex: Knex, email?: string, externalId?: string): Promise<string | null> {
  if (externalId) {
    const row = await knex(CUSTOMERS_TABLE).where('external_id', externalId).first('document_id');
    if (row) return row.document_id as string;
  }
  if (email) {
    const row = await knex(CUSTOMERS_TABLE).whereRaw('lower(trim(email)) = ?', [email.trim().toLowerCase()]).first('document_id');
    if (row) return row.document_id as string;
  }
  return null;
}

/** Fields a merge copies from the loser where the survivor has none. */
const FILLABLE = ['name', 'phone', 'whatsapp', 'company', 'jobTitle', 'country', 'timeZone', 'language', 'firstSource', 'tier', 'currency'] as const;

/**
 * Customers are the CRM's; other plugins reach them only through this service
 * (ARCHITECTURE.md: plugins never touch each other's tables).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const docs = () => strapi.documents(CUSTOMER_UID);
  const knex = () => strapi.db.connection;

  const find = (email?: string, externalId?: string) => findCustomerId(knex(), email, externalId);

  const tracking = () => service(strapi, 'tracking', 'touchpoints');

  const api: CrmCustomers & { mergeCaseDuplicates(): Promise<MergeResult[]> } = {
    /**
     * Finds the customer by external id, then by email, and fills in what is new; creates
     * one when nobody matches. Concurrent identifies of one new person end on one row: the
     * unique indexes refuse the second insert, which then finds the first.
     */
    async identify(traits: CustomerTraits, context: IdentifyContext = {}): Promise<IdentifyResult> {
      const checked = normalizeContact({ ...traits });
      if (context.onInvalid === 'drop') traits = withoutInvalid(checked.value, checked.errors);
      else {
        assertValid(checked.errors);
        traits = checked.value;
      }
      const email = normalizeEmail(traits.email);
      const externalId = traits.externalId?.trim() || undefined;
      if (!email && !externalId) assertValid([{ path: ['email'], message: 'identify needs an email or an external customer id' }]);
      const verified = context.verified !== false;
      const seen = context.seenAt ?? new Date();
      const seenAt = seen.toISOString();
      const fill = presentTraits(traits, email, externalId);
      for (let attempt = 0; attempt < 3; attempt++) {
        const existingId = await find(email, externalId);
        if (existingId) {
          await update(existingId, fill, verified, seen);
          return { documentId: existingId, created: false };
        }
        try {
          const times = Object.fromEntries(Object.keys(fill).map((k) => [k, seen.getTime()]));
          const created = await docs().create({
            data: {
              ...fill,
              firstSeenAt: seenAt,
              lastSeenAt: seenAt,
              firstSource: context.source,
              unverifiedTraits: verified ? [] : Object.keys(fill),
              traitTimes: times,
            } as never,
          });
          return { documentId: created.documentId, created: true };
        } catch (error) {
          // a concurrent identify created them first (the unique index, or Strapi's own check)
          if (!(await find(email, externalId))) throw error;
        }
      }
      throw new Error('identify: the customer kept changing under a concurrent write');
    },

    async findOne(documentId: string) {
      return (await docs().findOne({ documentId })) as CustomerSummary | null;
    },

    async findByEmail(email: string) {
      const id = await find(normalizeEmail(email));
      return id ? api.findOne(id) : null;
    },

    /**
     * Merges the loser into the survivor: every touchpoint and visitor (tracking), inquiry and
     * follow-up moves; empty survivor fields take the loser's values; the loser keeps
     * `mergedInto` and loses its email and external id (they are the survivor's now, and the
     * unique indexes allow one row each); a `customer_merged` touchpoint is on the survivor's timeline.
     */
    async merge(survivorId: string, loserId: string, byAdminId: number | string | null = null): Promise<MergeResult> {
      if (survivorId === loserId) assertValid([{ path: ['loserId'], message: 'a customer cannot be merged into itself' }]);
      const [survivor, loser] = await Promise.all([docs().findOne({ documentId: survivorId }), docs().findOne({ documentId: loserId })]);
      if (!survivor) assertValid([{ path: ['survivorId'], message: 'no such customer' }]);
      if (!loser) assertValid([{ path: ['loserId'], message: 'no such customer' }]);
      const s = survivor as unknown as Record<string, unknown>;
      const l = loser as unknown as Record<string, unknown>;
      if (s.mergedInto) assertValid([{ path: ['survivorId'], message: 'this customer was merged into another one' }]);
      const filled: string[] = [];
      const patch: Record<string, unknown> = {};
      for (const key of [...FILLABLE, 'email', 'externalId'] as const) {
        if ((s[key] == null || s[key] === '') && l[key] != null && l[key] !== '') {
          patch[key] = l[key];
          filled.push(key);
        }
      }
      const earliest = (a: unknown, b: unknown) => (!a ? b : !b ? a : String(a) < String(b) ? a : b);
      patch.firstSeenAt = earliest(s.firstSeenAt, l.firstSeenAt);
      // the loser lets go of its email and external id before the survivor takes them
      await docs().update({ documentId: loserId, data: { mergedInto: survivorId, email: null, externalId: null } as never });
      await docs().update({ documentId: survivorId, data: patch as never });
      const moved = { touchpoints: 0, inquiries: 0, followUps: 0, visitors: 0 };
      const tp = tracking();
      if (tp) Object.assign(moved, await tp.reassignCustomer(loserId, survivorId));
      moved.inquiries = await reassign(INQUIRY_UID, loserId, survivorId);
      moved.followUps = await reassign(FOLLOW_UP_UID, loserId, survivorId);
      await tp?.record({
        type: 'customer_merged',
        channel: 'crm',
        occurredAt: Date.now(),
        customerId: survivorId,
        properties: { loser_id: loserId, by_admin_id: byAdminId, moved, filled },
        dedupeKey: `crm:merge:${loserId}`,
      });
      // the loser's orders are the survivor's now
      await (strapi.plugin('crm').service('orders') as CrmOrders).refresh([survivorId, loserId]);
      return { survivorId, loserId, moved, filled };
    },

    /**
     * Rows whose emails differ only in case or spaces (written before the unique index
     * existed) are merged into the oldest, so the index can be created. Returns what merged.
     */
    async mergeCaseDuplicates(): Promise<MergeResult[]> {
      const groups = await knex()(CUSTOMERS_TABLE)
        .select(knex().raw('lower(trim(email)) as norm'))
        .whereNotNull('email')
        .groupByRaw('lower(trim(email))')
        .havingRaw('count(*) > 1');
      const results: MergeResult[] = [];
      for (const { norm } of groups as Array<{ norm: string }>) {
        const rows = await knex()(CUSTOMERS_TABLE).whereRaw('lower(trim(email)) = ?', [norm]).orderBy('id').select('document_id');
        const [first, ...rest] = rows as Array<{ document_id: string }>;
        for (const row of rest) {
          results.push(await api.merge(first.document_id, row.document_id, null));
          strapi.log.warn(`[crm] merged duplicate customer ${row.document_id} into ${first.document_id} (same email "${norm}" in another case)`);
        }
        await knex()(CUSTOMERS_TABLE).where('document_id', first.document_id).update({ email: norm });
      }
      return results;
    },
  };

  /** Moves inquiries or follow-ups of one customer to another; returns how many moved. */
  async function reassign(uid: typeof INQUIRY_UID | typeof FOLLOW_UP_UID, from: string, to: string): Promise<number> {
    const items = await strapi.documents(uid).findMany({ filters: { customer: { documentId: from } } as never, fields: ['documentId'] as never, limit: 100000 });
    for (const item of items) await strapi.documents(uid).update({ documentId: item.documentId, data: { customer: to } as never });
    return items.length;
  }

  async function update(documentId: string, fill: TraitValues, verified: boolean, seen: Date) {
    const existing = (await docs().findOne({ documentId })) as Record<string, unknown> | null;
    if (!existing) return;
    const before = unverifiedOf(existing.unverifiedTraits);
    const times = traitTimesOf(existing.traitTimes);
    const merged = mergeTraits(existing as Partial<Record<TraitKey, string | null>>, before, fill, verified, { at: seen.getTime(), times });
    const data: Record<string, unknown> = { ...merged.patch, traitTimes: merged.times };
    if (!existing.lastSeenAt || Date.parse(String(existing.lastSeenAt)) < seen.getTime()) data.lastSeenAt = seen.toISOString();
    if (!sameSet(before, merged.unverified)) data.unverifiedTraits = [...merged.unverified];
    try {
      await docs().update({ documentId, data: data as never });
    } catch (error) {
      // the email or external id now belongs to another customer: keep the rest
      if (!('email' in merged.patch) && !('externalId' in merged.patch)) throw error;
      const { email: _e, externalId: _x, ...rest } = data;
      await docs().update({ documentId, data: rest as never });
    }
  }

  return api;
};
