/**
 * The public pool (docs/crm-engage.md): an owned customer or open inquiry whose last logged
 * follow-up (or, when none, the moment it was taken) is older than `pool.releaseAfterDays`
 * loses its owner; anyone holding `pool.manage` claims it back. Each release and claim is a
 * touchpoint (`pool_released`, `pool_claimed`) on the customer's timeline.
 */
import type { Core } from '@strapi/strapi';
import { engageConfig } from '../engage/config';
import { DAY_MS } from '../engage/time';
import { CUSTOMER_UID, FOLLOW_UP_UID, INQUIRY_UID } from '../utils/constants';
import type { Clock } from './clock';

export type PoolKind = 'customer' | 'inquiry';
type Doc = Record<string, any>;
const UID = { customer: CUSTOMER_UID, inquiry: INQUIRY_UID } as const;
const CLOSED = ['won', 'lost'];

export class PoolError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const clock = () => strapi.plugin('crm').service('clock') as Clock;

  async function touch(type: 'pool_released' | 'pool_claimed', kind: PoolKind, doc: Doc, at: Date, properties: Record<string, unknown>) {
    const customerId = kind === 'customer' ? doc.documentId : doc.customer?.documentId;
    if (!customerId) return;
    await strapi
      .plugin('tracking')
      ?.service('touchpoints')
      .record({
        type,
        channel: 'crm',
        occurredAt: at,
        customerId,
        properties: { kind, documentId: doc.documentId, ...properties },
        dedupeKey: `crm:${type}:${kind}:${doc.documentId}:${at.getTime()}`,
      });
  }

  /** the owned ones idle since before `cutoff` */
  async function idle(kind: PoolKind, cutoff: Date): Promise<Doc[]> {
    const iso = cutoff.toISOString();
    const idleSince = {
      $or: [
        { lastFollowUpAt: { $lt: iso }, ownedSince: { $null: true } },
        { lastFollowUpAt: { $lt: iso }, ownedSince: { $lt: iso } },
        { lastFollowUpAt: { $null: true }, ownedSince: { $lt: iso } },
        { lastFollowUpAt: { $null: true }, ownedSince: { $null: true }, createdAt: { $lt: iso } },
      ],
    };
    return (await strapi.documents(UID[kind] as typeof CUSTOMER_UID).findMany({
      filters: {
        owner: { id: { $notNull: true } },
        ...(kind === 'inquiry' ? { status: { $notIn: CLOSED } } : {}),
        ...idleSince,
      } as any,
      populate: kind === 'inquiry' ? ['owner', 'customer'] : ['owner'],
      limit: 500,
    })) as Doc[];
  }

  return {
    /** Releases everything idle longer than the configured days; returns what it released. */
    async release(): Promise<{ customers: string[]; inquiries: string[] }> {
      const config = engageConfig(strapi).pool;
      const now = clock().now();
      const cutoff = new Date(now.getTime() - config.releaseAfterDays * DAY_MS);
      const released = { customers: [] as string[], inquiries: [] as string[] };
      for (const kind of ['customer', 'inquiry'] as const) {
        for (const doc of await idle(kind, cutoff)) {
          await strapi.documents(UID[kind] as typeof CUSTOMER_UID).update({ documentId: doc.documentId, data: { owner: null, ownedSince: null } as any });
          if (kind === 'inquiry') await this.reassignTasks(doc.documentId, null);
          await touch('pool_released', kind, doc, now, {
            previousOwner: doc.owner ? { id: doc.owner.id, name: [doc.owner.firstname, doc.owner.lastname].filter(Boolean).join(' ') } : null,
            idleDays: config.releaseAfterDays,
          });
          (kind === 'customer' ? released.customers : released.inquiries).push(doc.documentId);
        }
      }
      return released;
    },

    /** Takes an unowned customer or inquiry; 409 when someone owns it already. */
    async claim(kind: PoolKind, documentId: string, user: { id: number; documentId?: string; firstname?: string; lastname?: string }) {
      const uid = UID[kind] as typeof CUSTOMER_UID;
      const doc = (await strapi.documents(uid).findOne({ documentId, populate: kind === 'inquiry' ? ['owner', 'customer'] : ['owner'] })) as Doc | null;
      if (!doc) throw new PoolError(404, `no ${kind} ${documentId}`);
      if (doc.owner) throw new PoolError(409, `this ${kind} is owned by someone already`);
      const now = clock().now();
      const owner = user.documentId ?? (await strapi.db.query('admin::user').findOne({ where: { id: user.id }, select: ['documentId'] }))?.documentId;
      await strapi.documents(uid).update({ documentId, data: { owner, ownedSince: now.toISOString() } as any });
      if (kind === 'inquiry') await this.reassignTasks(documentId, owner);
      await touch('pool_claimed', kind, doc, now, { by: { id: user.id, name: [user.firstname, user.lastname].filter(Boolean).join(' ') } });
      return { kind, documentId, owner: user.id, ownedSince: now.toISOString() };
    },

    /** the inquiry's open cadence tasks follow its owner */
    async reassignTasks(inquiryId: string, ownerDocumentId: string | null) {
      const tasks = (await strapi.documents(FOLLOW_UP_UID).findMany({
        filters: { inquiry: { documentId: inquiryId }, kind: 'task', status: 'open' },
        limit: 100,
      })) as Doc[];
      for (const task of tasks) await strapi.documents(FOLLOW_UP_UID).update({ documentId: task.documentId, data: { by: ownerDocumentId } as any });
    },

    /** What is in the pool now: unowned customers and open inquiries, newest first. */
    async list(options: { kind?: PoolKind; limit?: number } = {}) {
      const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
      const out: Record<string, Doc[]> = {};
      for (const kind of options.kind ? [options.kind] : (['customer', 'inquiry'] as const)) {
        out[kind] = (await strapi.documents(UID[kind] as typeof CUSTOMER_UID).findMany({
          filters: { owner: { id: { $null: true } }, ...(kind === 'inquiry' ? { status: { $notIn: CLOSED } } : { mergedInto: { $null: true } }) } as any,
          sort: 'updatedAt:desc',
          limit,
        })) as Doc[];
      }
      return out;
    },
  };
};
