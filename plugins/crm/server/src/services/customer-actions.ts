import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { CUSTOMER_UID, FOLLOW_UP_UID, INQUIRY_UID, PLUGIN_ID } from '../utils/constants';
import { CrmError } from '../utils/errors';
import { type Scope, sees } from '../utils/scope';
import { touchpoints } from '../utils/tracking';
import { STAGES } from './customer-queries';

export const FOLLOW_UP_CHANNELS = ['email', 'whatsapp', 'phone', 'chat', 'meeting', 'other'] as const;
export const INQUIRY_STATUSES = ['new', 'contacted', 'quoted', 'negotiating', 'won', 'lost'] as const;

export const followUpSchema = z
  .object({
    channel: z.enum(FOLLOW_UP_CHANNELS),
    note: z.string().max(10_000).optional(),
    outcome: z.string().max(255).optional(),
    inquiryId: z.string().max(64).optional(),
    at: z.coerce.date().optional(),
  })
  .strict();
export const stageSchema = z.object({ stage: z.enum(STAGES) }).strict();
export const ownerSchema = z.object({ ownerId: z.number().int().positive().nullable() }).strict();
export const mergeSchema = z.object({ loserId: z.string().min(1).max(64) }).strict();
export const inquiryStatusSchema = z
  .object({ status: z.enum(INQUIRY_STATUSES), lostReason: z.string().trim().max(255).optional() })
  .strict()
  .refine((v) => v.status !== 'lost' || Boolean(v.lostReason), { message: 'a lost inquiry needs a lostReason', path: ['lostReason'] });

/** the touchpoint channel a follow-up happened on (a meeting is offline, "other" stays other) */
const channelOf = (channel: (typeof FOLLOW_UP_CHANNELS)[number]) => (channel === 'chat' ? 'live_chat' : channel);

interface Merger {
  merge?(survivorId: string, loserId: string, byAdminId: number): Promise<unknown>;
}

/**
 * What an admin does on a customer's page and on the inquiry board. Each change is also a
 * touchpoint, so the timeline tells who did what when (follow_up_logged, stage_changed).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const queries = () => strapi.plugin(PLUGIN_ID).service('customer-queries') as { visible(id: string, scope: Scope): Promise<{ id: number; documentId: string; stage?: string; owner?: { id: number } | null }> };

  async function visibleInquiry(documentId: string, scope: Scope) {
    const inquiry = (await strapi.documents(INQUIRY_UID).findOne({
      documentId,
      populate: { owner: { fields: ['id'] }, customer: { fields: ['documentId'], populate: { owner: { fields: ['id'] } } } } as never,
    })) as { id: number; documentId: string; status: string; owner?: { id: number } | null; customer?: { documentId: string; owner?: { id: number } | null } | null } | null;
    // an inquiry is the caller's when they own it, or (unowned) its customer is visible to them
    if (!inquiry || !sees(scope, inquiry.owner?.id ?? inquiry.customer?.owner?.id)) throw new CrmError(404, `inquiry ${documentId} not found`);
    return inquiry;
  }

  return {
    async logFollowUp(customerId: string, input: z.infer<typeof followUpSchema>, scope: Scope) {
      const customer = await queries().visible(customerId, scope);
      const inquiry = input.inquiryId ? await visibleInquiry(input.inquiryId, scope) : null;
      if (inquiry && inquiry.customer?.documentId !== customerId) throw new CrmError(400, `inquiry ${input.inquiryId} is not this customer's`);
      const at = input.at ?? new Date();
      const created = (await strapi.documents(FOLLOW_UP_UID).create({
        data: {
          kind: 'log',
          status: 'done',
          channel: input.channel,
          note: input.note,
          outcome: input.outcome,
          at: at.toISOString(),
          customer: customerId,
          ...(inquiry ? { inquiry: inquiry.documentId } : {}),
        } as never,
      })) as { id: number; documentId: string };
      await strapi.db.query(FOLLOW_UP_UID).update({ where: { id: created.id }, data: { by: scope.userId } });
      await strapi.db.query(CUSTOMER_UID).update({ where: { id: customer.id }, data: { lastFollowUpAt: at } });
      if (inquiry) await strapi.db.query(INQUIRY_UID).update({ where: { id: inquiry.id }, data: { lastFollowUpAt: at } });
      await touchpoints(strapi).record({
        type: 'follow_up_logged',
        channel: channelOf(input.channel),
        occurredAt: at,
        customerId,
        properties: { followUpId: created.documentId, inquiryId: inquiry?.documentId ?? null, note: input.note ?? null, outcome: input.outcome ?? null, by: scope.userId },
        dedupeKey: `crm:follow-up:${created.documentId}`,
      });
      return created;
    },

    async changeStage(customerId: string, stage: (typeof STAGES)[number], scope: Scope) {
      const customer = await queries().visible(customerId, scope);
      const from = customer.stage ?? null;
      if (from === stage) return { documentId: customerId, stage, changed: false };
      await strapi.db.query(CUSTOMER_UID).update({ where: { id: customer.id }, data: { stage } });
      await touchpoints(strapi).record({
        type: 'stage_changed',
        channel: 'crm',
        occurredAt: Date.now(),
        customerId,
        properties: { entity: 'customer', id: customerId, from, to: stage, by: scope.userId },
      });
      return { documentId: customerId, stage, changed: true };
    },

    /** a salesperson who reads only their own may take a pool customer or give theirs back; read-all may assign anyone */
    async assign(customerId: string, ownerId: number | null, scope: Scope) {
      const customer = await queries().visible(customerId, scope);
      if (!scope.all && ownerId !== null && ownerId !== scope.userId) throw new CrmError(403, 'you may assign customers to yourself only');
      if (ownerId !== null) {
        const user = await strapi.db.query('admin::user').findOne({ where: { id: ownerId, isActive: true }, select: ['id'] });
        if (!user) throw new CrmError(400, `ownerId: no active admin ${ownerId}`);
      }
      await strapi.db.query(CUSTOMER_UID).update({ where: { id: customer.id }, data: { owner: ownerId, ownedSince: ownerId ? new Date() : null } });
      return { documentId: customerId, ownerId };
    },

    /**
     * SEAM (crm-core): merging is their `customers.merge(survivorId, loserId, byAdminId)`; until
     * it is on main this answers 501.
     */
    async merge(survivorId: string, loserId: string, scope: Scope) {
      if (survivorId === loserId) throw new CrmError(400, 'loserId: a customer cannot be merged into itself');
      await queries().visible(survivorId, scope);
      await queries().visible(loserId, scope);
      const customers = strapi.plugin(PLUGIN_ID).service('customers') as Merger;
      if (typeof customers.merge !== 'function') throw new CrmError(501, 'merging customers is not available yet');
      return customers.merge(survivorId, loserId, scope.userId);
    },

    async moveInquiry(inquiryId: string, input: z.infer<typeof inquiryStatusSchema>, scope: Scope) {
      const inquiry = await visibleInquiry(inquiryId, scope);
      const from = inquiry.status;
      if (from === input.status) return { documentId: inquiryId, status: from, changed: false };
      await strapi.db.query(INQUIRY_UID).update({
        where: { id: inquiry.id },
        data: { status: input.status, lostReason: input.status === 'lost' ? input.lostReason : null },
      });
      await touchpoints(strapi).record({
        type: 'stage_changed',
        channel: 'crm',
        occurredAt: Date.now(),
        customerId: inquiry.customer?.documentId ?? null,
        properties: { entity: 'inquiry', id: inquiryId, from, to: input.status, ...(input.lostReason ? { reason: input.lostReason } : {}), by: scope.userId },
      });
      return { documentId: inquiryId, status: input.status, changed: true };
    },
  };
};
