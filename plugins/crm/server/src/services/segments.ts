/**
 * Segments: saved rule sets over customers (engage/segment-rules.ts), counted and listed with
 * one SQL query each; `applyTo` lets campaigns and the customer list filter their own query.
 * PostgreSQL queries run under a statement timeout: rules are bounded in size, this bounds time.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { applyRules, parseRules, RuleError, type RuleGroup, type SegmentTables, segmentIndexStatements } from '../engage/segment-rules';
import { CUSTOMER_UID, INQUIRY_UID } from '../utils/constants';
import type { Clock } from './clock';

export const SEGMENT_UID = 'plugin::crm.segment' as const;
const STATEMENT_TIMEOUT_MS = 10_000;
const ALIAS = 'c';

export class SegmentError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
  }
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const isPg = () => strapi.db.dialect.client === 'postgres';

  function tables(): SegmentTables {
    const link = (strapi.db.metadata.get(INQUIRY_UID).attributes as any).customer.joinTable;
    return {
      customers: strapi.db.metadata.get(CUSTOMER_UID).tableName,
      inquiries: strapi.db.metadata.get(INQUIRY_UID).tableName,
      touchpoints: 'moat_touchpoints',
      inquiryLink: { table: link.name, inquiry: link.joinColumn.name, customer: link.inverseJoinColumn.name },
      client: isPg() ? 'postgres' : 'sqlite',
    };
  }

  const validate = (rules: unknown): RuleGroup => {
    try {
      return parseRules(rules);
    } catch (error) {
      if (error instanceof RuleError) throw new SegmentError(400, error.message);
      throw error;
    }
  };

  async function rulesOf(rulesOrId: unknown): Promise<RuleGroup> {
    if (typeof rulesOrId === 'string') {
      const segment = (await strapi.documents(SEGMENT_UID).findOne({ documentId: rulesOrId })) as { rules?: unknown } | null;
      if (!segment) throw new SegmentError(404, `no segment ${rulesOrId}`);
      return validate(segment.rules);
    }
    return validate(rulesOrId);
  }

  /** runs `work` with a time bound (PostgreSQL: statement_timeout for this transaction) */
  async function bounded<T>(work: (db: Knex | Knex.Transaction) => Promise<T>): Promise<T> {
    if (!isPg()) return work(knex());
    return knex().transaction(async (trx) => {
      await trx.raw(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
      return work(trx);
    });
  }

  const now = () => (strapi.plugin('crm').service('clock') as Clock).now().getTime();

  const self = {
    validate,

    /** Adds the rules to a query over the customers table; `alias` is how that query names it. */
    applyTo(qb: Knex.QueryBuilder, rules: unknown, alias = tables().customers) {
      return applyRules(knex(), qb, validate(rules), { alias, tables: tables(), now: now() });
    },

    async count(rulesOrId: unknown): Promise<number> {
      const rules = await rulesOf(rulesOrId);
      const t = tables();
      return bounded(async (db) => {
        const qb = db(`${t.customers} as ${ALIAS}`).count({ n: '*' });
        applyRules(db as Knex, qb, rules, { alias: ALIAS, tables: t, now: now() });
        const [row] = await qb;
        return Number((row as { n: number | string }).n);
      });
    },

    /** Members in id order, a page at a time: pass the returned `nextCursor` for the next page. */
    async members(rulesOrId: unknown, options: { cursor?: string | null; limit?: number } = {}) {
      const rules = await rulesOf(rulesOrId);
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
      const after = options.cursor ? Number(options.cursor) : 0;
      if (!Number.isSafeInteger(after) || after < 0) throw new SegmentError(400, 'cursor: not one this endpoint returned');
      const t = tables();
      const rows = await bounded((db) => {
        const qb = db(`${t.customers} as ${ALIAS}`)
          .select(
            `${ALIAS}.id`,
            `${ALIAS}.document_id as documentId`,
            `${ALIAS}.email`,
            `${ALIAS}.name`,
            `${ALIAS}.country`,
            `${ALIAS}.tier`,
            `${ALIAS}.stage`,
            `${ALIAS}.score`,
            `${ALIAS}.grade`,
          )
          .where(`${ALIAS}.id`, '>', after)
          .orderBy(`${ALIAS}.id`, 'asc')
          .limit(limit + 1);
        applyRules(db as Knex, qb, rules, { alias: ALIAS, tables: t, now: now() });
        return qb;
      });
      const page = rows.slice(0, limit);
      return {
        items: page.map(({ id: _id, ...rest }: Record<string, unknown>) => rest),
        nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
      };
    },

    async list() {
      return strapi.documents(SEGMENT_UID).findMany({ sort: 'name:asc', limit: 500 });
    },
    async findOne(documentId: string) {
      const segment = await strapi.documents(SEGMENT_UID).findOne({ documentId });
      if (!segment) throw new SegmentError(404, `no segment ${documentId}`);
      return segment;
    },
    async create(input: { name?: unknown; description?: unknown; rules?: unknown }) {
      return strapi.documents(SEGMENT_UID).create({ data: self.checkFields(input, true) as any });
    },
    async update(documentId: string, input: { name?: unknown; description?: unknown; rules?: unknown }) {
      await self.findOne(documentId);
      return strapi.documents(SEGMENT_UID).update({ documentId, data: self.checkFields(input, false) as any });
    },
    async remove(documentId: string) {
      await self.findOne(documentId);
      await strapi.documents(SEGMENT_UID).delete({ documentId });
    },

    checkFields(input: { name?: unknown; description?: unknown; rules?: unknown }, creating: boolean) {
      const data: Record<string, unknown> = {};
      if (creating || input.name !== undefined) {
        if (typeof input.name !== 'string' || !input.name.trim() || input.name.length > 255) throw new SegmentError(400, 'name: 1 to 255 characters');
        data.name = input.name.trim();
      }
      if (input.description !== undefined && input.description !== null) {
        if (typeof input.description !== 'string' || input.description.length > 2000) throw new SegmentError(400, 'description: at most 2,000 characters');
        data.description = input.description;
      }
      if (creating || input.rules !== undefined) data.rules = validate(input.rules);
      return data;
    },

    /** The indexes the rules and the customer list lean on (idempotent; bootstrap). */
    async ensureIndexes() {
      const t = tables();
      for (const statement of segmentIndexStatements(t.client, t.customers)) await knex().raw(statement);
    },
  };
  return self;
};
