import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { CrmError } from '../utils/errors';
import { CUSTOMER_UID, FOLLOW_UP_UID, INQUIRY_UID } from '../utils/constants';
import { type Scope, scopeFilter, sees } from '../utils/scope';
import { timeline } from '../utils/tracking';

export const TIERS = ['big_b', 'small_b', 'consumer'] as const;
export const STAGES = ['subscriber', 'lead', 'inquiry', 'negotiating', 'customer', 'loyal', 'advocate'] as const;

const optionalNumber = z.coerce.number().int().min(-1_000_000).max(1_000_000).optional();
/** the customer list's query string; anything else is a 400 naming the parameter */
export const listQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    tier: z.enum(TIERS).optional(),
    stage: z.enum(STAGES).optional(),
    country: z.string().regex(/^[A-Za-z]{2}$/, 'a two-letter country code').optional(),
    owner: z.union([z.enum(['mine', 'pool']), z.coerce.number().int().positive()]).optional(),
    scoreMin: optionalNumber,
    scoreMax: optionalNumber,
    segment: z.string().max(64).optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type ListQuery = z.infer<typeof listQuerySchema>;

/** admin users' email is a private field: the Document Service refuses it in populate */
const OWNER_FIELDS = ['id', 'firstname', 'lastname'];
const LIST_FIELDS = ['email', 'name', 'company', 'phone', 'country', 'tier', 'stage', 'score', 'grade', 'lastSeenAt', 'createdAt'];

interface SegmentsService {
  /** crm-engage: the segment's rules as a customer filter on a knex query of crm_customers */
  findOne?(id: string): Promise<{ rules: unknown } | null>;
  applyTo?(qb: unknown, rules: unknown): unknown;
}

/** Reads of customers for the admin: the list, one customer's page, the owners to pick from. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const docs = () => strapi.documents(CUSTOMER_UID);

  /**
   * SEAM (crm-engage): a saved segment narrows the list through `segments.applyTo(knexQb,
   * rules)`. Until their service is on main, `?segment=` answers 501.
   */
  async function segmentFilter(segmentId: string): Promise<Record<string, unknown>> {
    let segments: SegmentsService | undefined;
    try {
      segments = strapi.plugin('crm').service('segments') as SegmentsService;
    } catch {
      segments = undefined;
    }
    if (!segments?.applyTo || !segments.findOne) throw new CrmError(501, 'segments are not available yet');
    const segment = await segments.findOne(segmentId);
    if (!segment) throw new CrmError(404, `segment ${segmentId} not found`);
    // the members' ids, then the list's own filters and paging over them (bounded: a segment of
    // more than 50,000 is browsed by its other filters)
    const qb = strapi.db.connection('crm_customers').select('id').limit(50_000);
    segments.applyTo(qb, segment.rules);
    const rows = (await qb) as Array<{ id: number }>;
    return { id: { $in: rows.map((r) => r.id) } };
  }

  async function filtersOf(query: ListQuery, scope: Scope) {
    const and: Record<string, unknown>[] = [{ mergedInto: { $null: true } }, scopeFilter(scope)];
    if (query.q) {
      const like = { $containsi: query.q };
      and.push({ $or: [{ email: like }, { name: like }, { company: like }, { phone: like }] });
    }
    if (query.tier) and.push({ tier: query.tier });
    if (query.stage) and.push({ stage: query.stage });
    if (query.country) and.push({ country: query.country.toUpperCase() });
    if (query.owner === 'mine') and.push({ owner: { id: scope.userId } });
    else if (query.owner === 'pool') and.push({ owner: { id: { $null: true } } });
    else if (typeof query.owner === 'number') and.push({ owner: { id: query.owner } });
    if (query.scoreMin !== undefined) and.push({ score: { $gte: query.scoreMin } });
    if (query.scoreMax !== undefined) and.push({ score: { $lte: query.scoreMax } });
    if (query.segment) and.push(await segmentFilter(query.segment));
    return { $and: and.filter((f) => Object.keys(f).length > 0) };
  }

  return {
    async list(query: ListQuery, scope: Scope) {
      const filters = await filtersOf(query, scope);
      const [results, total] = await Promise.all([
        docs().findMany({
          filters: filters as never,
          fields: LIST_FIELDS as never,
          populate: { owner: { fields: OWNER_FIELDS } } as never,
          sort: [{ lastSeenAt: 'desc' }, { id: 'desc' }] as never,
          limit: query.pageSize,
          start: (query.page - 1) * query.pageSize,
        }),
        docs().count({ filters: filters as never }),
      ]);
      return { results, pagination: { page: query.page, pageSize: query.pageSize, total, pageCount: Math.ceil(total / query.pageSize) } };
    },

    /** the customer, when the scope sees them; else a 404 (no hint that they exist) */
    async visible(documentId: string, scope: Scope) {
      const customer = (await docs().findOne({ documentId, populate: { owner: { fields: OWNER_FIELDS }, organization: true } as never })) as
        | (Record<string, unknown> & { id: number; documentId: string; owner?: { id: number } | null })
        | null;
      if (!customer || !sees(scope, customer.owner?.id)) throw new CrmError(404, `customer ${documentId} not found`);
      return customer;
    },

    /** the customer page: profile, inquiries, follow-ups and a page of their timeline */
    async page(documentId: string, scope: Scope, cursor?: string) {
      const customer = await this.visible(documentId, scope);
      const [inquiries, followUps, journey] = await Promise.all([
        strapi.documents(INQUIRY_UID).findMany({
          filters: { customer: { documentId } } as never,
          populate: { owner: { fields: OWNER_FIELDS } } as never,
          sort: { createdAt: 'desc' } as never,
          limit: 100,
        }),
        strapi.documents(FOLLOW_UP_UID).findMany({
          filters: { customer: { documentId } } as never,
          populate: { by: { fields: OWNER_FIELDS }, inquiry: { fields: ['documentId', 'productTitle', 'status'] } } as never,
          sort: { createdAt: 'desc' } as never,
          limit: 100,
        }),
        timeline(strapi).list(documentId, { limit: 200, cursor: cursor ?? null }),
      ]);
      return { customer, inquiries, followUps, timeline: journey };
    },

    /** active admins a customer can be assigned to */
    async owners() {
      const users = await strapi.db.query('admin::user').findMany({ where: { isActive: true }, select: [...OWNER_FIELDS, 'email'], orderBy: { firstname: 'asc' }, limit: 500 });
      return users as Array<{ id: number; firstname: string; lastname: string; email: string }>;
    },
  };
};
