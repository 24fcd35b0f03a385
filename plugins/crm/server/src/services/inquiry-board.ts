import type { Core } from '@strapi/strapi';
import { FOLLOW_UP_UID, INQUIRY_UID } from '../utils/constants';
import type { Scope } from '../utils/scope';
import { INQUIRY_STATUSES } from './customer-actions';

const PER_COLUMN = 100;

/** inquiries the scope sees: its own, and unowned ones whose customer is its own or in the pool */
export const inquiryScopeFilter = (scope: Scope): Record<string, unknown> =>
  scope.all
    ? {}
    : {
        $or: [
          { owner: { id: scope.userId } },
          {
            $and: [
              { owner: { id: { $null: true } } },
              { $or: [{ customer: { owner: { id: scope.userId } } }, { customer: { owner: { id: { $null: true } } } }] },
            ],
          },
        ],
      };

/**
 * The inquiry board: one column per status, newest first, each card with its customer and
 * its overdue follow-up tasks (kind task, open, due before now) so nothing rots unseen.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async board(scope: Scope, now = new Date()) {
    const columns = await Promise.all(
      INQUIRY_STATUSES.map(async (status) => {
        const filters = { $and: [{ status }, inquiryScopeFilter(scope)] };
        const [cards, total] = await Promise.all([
          strapi.documents(INQUIRY_UID).findMany({
            filters: filters as never,
            populate: { customer: { fields: ['documentId', 'email', 'name', 'company', 'country'] }, owner: { fields: ['id', 'firstname', 'lastname'] } } as never,
            sort: [{ createdAt: 'desc' }, { id: 'desc' }] as never,
            limit: PER_COLUMN,
          }),
          strapi.documents(INQUIRY_UID).count({ filters: filters as never }),
        ]);
        return { status, total, cards: cards as unknown as Array<Record<string, unknown> & { documentId: string }> };
      }),
    );
    const ids = columns.flatMap((c) => c.cards.map((card) => card.documentId));
    const overdue = ids.length
      ? ((await strapi.documents(FOLLOW_UP_UID).findMany({
          filters: { kind: 'task', status: 'open', dueAt: { $lt: now.toISOString() }, inquiry: { documentId: { $in: ids } } } as never,
          fields: ['documentId', 'dueAt', 'cadenceStep', 'channel', 'note'] as never,
          populate: { inquiry: { fields: ['documentId'] } } as never,
          sort: { dueAt: 'asc' } as never,
          limit: 1000,
        })) as unknown as Array<{ documentId: string; dueAt: string; inquiry?: { documentId: string } }>)
      : [];
    const byInquiry = new Map<string, typeof overdue>();
    for (const task of overdue) {
      const key = task.inquiry?.documentId;
      if (!key) continue;
      byInquiry.set(key, [...(byInquiry.get(key) ?? []), task]);
    }
    return {
      now: now.toISOString(),
      columns: columns.map((c) => ({ ...c, cards: c.cards.map((card) => ({ ...card, overdue: byInquiry.get(card.documentId) ?? [] })) })),
    };
  },
});
