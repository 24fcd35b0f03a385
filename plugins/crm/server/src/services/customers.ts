import type { Core } from '@strapi/strapi';
import { CUSTOMER_UID } from '../utils/constants';
import { mergeTraits, sameSet, type TraitKey, type TraitValues, unverifiedOf } from './trust';

/** What a channel knows about a person when they identify (form, login, Shopify, an ERP). */
export interface CustomerTraits {
  email?: string;
  /** the storefront's or another system's customer id */
  externalId?: string;
  name?: string;
  phone?: string;
  company?: string;
}

export interface IdentifyContext {
  seenAt?: Date;
  source?: string;
  /** false for what the open storefront endpoint claims (see trust.ts); default true */
  verified?: boolean;
}

export interface IdentifyResult {
  documentId: string;
  created: boolean;
}

const normalizeEmail = (email?: string) => (email ? email.trim().toLowerCase() : undefined);

/** Only the traits that are present: identifying never blanks what we already know. */
function presentTraits(traits: CustomerTraits, email?: string, externalId?: string): TraitValues {
  const out: TraitValues = {};
  for (const key of ['name', 'phone', 'company'] as const) {
    const value = traits[key]?.trim();
    if (value) out[key] = value;
  }
  if (email) out.email = email;
  if (externalId) out.externalId = externalId;
  return out;
}

/**
 * Customers are the CRM's; other plugins reach them only through this service
 * (ARCHITECTURE.md: plugins never touch each other's tables).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const docs = () => strapi.documents(CUSTOMER_UID);

  async function find(email?: string, externalId?: string) {
    if (externalId) {
      const byId = await docs().findFirst({ filters: { externalId } });
      if (byId) return byId;
    }
    if (email) return docs().findFirst({ filters: { email } });
    return null;
  }

  return {
    /**
     * Finds the customer by external id, then by email, and fills in what is new; creates
     * one when nobody matches. Two identifies racing on the same email both end on one row.
     */
    async identify(traits: CustomerTraits, context: IdentifyContext = {}): Promise<IdentifyResult> {
      const email = normalizeEmail(traits.email);
      const externalId = traits.externalId?.trim() || undefined;
      if (!email && !externalId) throw new Error('identify needs an email or an external customer id');
      const verified = context.verified !== false;
      const seenAt = (context.seenAt ?? new Date()).toISOString();
      const existing = await find(email, externalId);
      const fill = presentTraits(traits, email, externalId);
      if (existing) {
        const before = unverifiedOf(existing.unverifiedTraits);
        const { patch, unverified } = mergeTraits(existing as Partial<Record<TraitKey, string | null>>, before, fill, verified);
        const data: Record<string, unknown> = { lastSeenAt: seenAt, ...patch };
        if (!sameSet(before, unverified)) data.unverifiedTraits = [...unverified];
        try {
          await docs().update({ documentId: existing.documentId, data: data as never });
        } catch (error) {
          // the email or external id now belongs to another customer: keep the rest
          if (!('email' in patch) && !('externalId' in patch)) throw error;
          const { email: _e, externalId: _x, ...rest } = data;
          await docs().update({ documentId: existing.documentId, data: rest as never });
        }
        return { documentId: existing.documentId, created: false };
      }
      try {
        const created = await docs().create({
          data: {
            ...fill,
            firstSeenAt: seenAt,
            lastSeenAt: seenAt,
            firstSource: context.source,
            unverifiedTraits: verified ? [] : Object.keys(fill),
          } as never,
        });
        return { documentId: created.documentId, created: true };
      } catch (error) {
        // a concurrent identify created them first (unique email / external id)
        const again = await find(email, externalId);
        if (again) return { documentId: again.documentId, created: false };
        throw error;
      }
    },

    async findOne(documentId: string) {
      return docs().findOne({ documentId });
    },

    async findByEmail(email: string) {
      return docs().findFirst({ filters: { email: normalizeEmail(email) } });
    },
  };
};
