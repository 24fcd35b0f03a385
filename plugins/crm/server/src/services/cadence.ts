/**
 * Follow-up cadence (docs/crm-engage.md): a new inquiry gets one open task per configured day
 * (1, 3, 7) for its owner, due at the shop's time of day on a working day. The cadence stops —
 * its open tasks are cancelled — once the inquiry moves on: its status goes past `contacted`
 * (quoted, negotiating, won, lost). A logged follow-up completes the tasks already due (the
 * contact they asked for happened) and keeps the later ones.
 */
import type { Core } from '@strapi/strapi';
import { engageConfig } from '../engage/config';
import { dueAfter } from '../engage/time';
import { CUSTOMER_UID, FOLLOW_UP_UID, INQUIRY_UID } from '../utils/constants';
import type { Clock } from './clock';

/** statuses in which the cadence still runs */
export const CADENCE_STATUSES = ['new', 'contacted'] as const;

type Doc = Record<string, any>;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const clock = () => strapi.plugin('crm').service('clock') as Clock;
  const followUps = () => strapi.documents(FOLLOW_UP_UID);

  async function openTasks(inquiryId: string): Promise<Doc[]> {
    return (await followUps().findMany({
      filters: { inquiry: { documentId: inquiryId }, kind: 'task', status: 'open' },
      sort: 'dueAt:asc',
      limit: 100,
    })) as Doc[];
  }

  async function setNextDue(inquiryId: string) {
    const [next] = await openTasks(inquiryId);
    await strapi.documents(INQUIRY_UID).update({ documentId: inquiryId, data: { nextFollowUpAt: next?.dueAt ?? null } as any });
  }

  return {
    /** Creates the inquiry's tasks (once: an inquiry that already has cadence tasks is left alone). */
    async start(inquiryId: string): Promise<Doc[]> {
      const config = engageConfig(strapi).cadence;
      if (!config.enabled) return [];
      const inquiry = (await strapi.documents(INQUIRY_UID).findOne({ documentId: inquiryId, populate: ['owner', 'customer'] })) as Doc | null;
      if (!inquiry || !(CADENCE_STATUSES as readonly string[]).includes(inquiry.status)) return [];
      const existing = await followUps().count({ filters: { inquiry: { documentId: inquiryId }, kind: 'task' } });
      if (existing > 0) return [];
      // start runs as the inquiry is created: now (the CRM clock's) is its arrival
      const arrived = clock().now();
      const tasks: Doc[] = [];
      for (const day of [...new Set(config.days)].sort((a, b) => a - b)) {
        tasks.push(
          await followUps().create({
            data: {
              inquiry: inquiryId,
              customer: inquiry.customer?.documentId ?? null,
              kind: 'task',
              status: 'open',
              cadenceStep: day,
              dueAt: dueAfter(arrived, day, config).toISOString(),
              by: inquiry.owner?.documentId ?? null,
            } as any,
          }),
        );
      }
      await setNextDue(inquiryId);
      return tasks;
    },

    /** Cancels the open tasks of an inquiry that moved on; returns how many. */
    async stop(inquiryId: string): Promise<number> {
      const open = await openTasks(inquiryId);
      for (const task of open) await followUps().update({ documentId: task.documentId, data: { status: 'cancelled' } as any });
      if (open.length) await strapi.documents(INQUIRY_UID).update({ documentId: inquiryId, data: { nextFollowUpAt: null } as any });
      return open.length;
    },

    /** A follow-up was logged: the inquiry and customer were contacted now; due tasks are done. */
    async logged(followUpId: string) {
      const log = (await followUps().findOne({ documentId: followUpId, populate: ['inquiry', 'customer'] })) as Doc | null;
      if (log?.kind !== 'log') return;
      const at = log.at ? new Date(log.at) : clock().now();
      const inquiryId: string | undefined = log.inquiry?.documentId;
      let customerId: string | undefined = log.customer?.documentId;
      if (inquiryId) {
        const inquiry = (await strapi.documents(INQUIRY_UID).findOne({ documentId: inquiryId, populate: ['customer'] })) as Doc | null;
        customerId ??= inquiry?.customer?.documentId;
        for (const task of await openTasks(inquiryId)) {
          if (new Date(task.dueAt).getTime() <= at.getTime()) await followUps().update({ documentId: task.documentId, data: { status: 'done' } as any });
        }
        await strapi.documents(INQUIRY_UID).update({ documentId: inquiryId, data: { lastFollowUpAt: at.toISOString() } as any });
        await setNextDue(inquiryId);
      }
      if (customerId) await strapi.documents(CUSTOMER_UID).update({ documentId: customerId, data: { lastFollowUpAt: at.toISOString() } as any });
    },

    /** Open tasks due before now (the clock's), oldest first; optionally one owner's. */
    async overdue(options: { ownerId?: number; limit?: number } = {}): Promise<Doc[]> {
      return (await followUps().findMany({
        filters: {
          kind: 'task',
          status: 'open',
          dueAt: { $lt: clock().now().toISOString() },
          ...(options.ownerId ? { by: { id: options.ownerId } } : {}),
        },
        populate: { inquiry: { fields: ['productTitle', 'status'] }, customer: { fields: ['email', 'name'] }, by: { fields: ['firstname', 'lastname'] } },
        sort: 'dueAt:asc',
        limit: Math.min(Math.max(options.limit ?? 100, 1), 500),
      })) as Doc[];
    },
  };
};
