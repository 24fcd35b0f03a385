import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';

const CUSTOMER_UID = 'plugin::crm.customer';

/** One segment member as a campaign needs them. */
export interface Recipient {
  /** the customers table's row id: the paging cursor */
  rowId: number;
  customerId: string;
  email: string | null;
  name: string | null;
  company: string | null;
  country: string | null;
  language: string | null;
  /** the CRM's time zone, else the one the tracker last saw on their visits */
  timeZone: string | null;
  emailConsent: string | null;
}

interface SegmentsService {
  findOne(documentId: string): Promise<{ rules?: unknown }>;
  applyTo(qb: Knex.QueryBuilder, rules: unknown, alias?: string): unknown;
}

/**
 * The CRM side of a campaign: a segment's members, a page at a time in id order (the CRM's
 * segments service adds the segment's rules to our query), with the tracker's last seen time
 * zone for members whose CRM record has none.
 */
export function audiencePort(strapi: Core.Strapi) {
  const segments = (): SegmentsService => {
    const plugin = strapi.plugin('crm');
    if (!plugin) throw new errors.ValidationError('segmentId: the CRM plugin is not enabled');
    return plugin.service('segments') as SegmentsService;
  };

  /** the segment's rules; @throws ValidationError naming segmentId when it does not exist */
  async function rulesOf(segmentId: string): Promise<unknown> {
    try {
      return (await segments().findOne(segmentId)).rules;
    } catch (error) {
      if ((error as { status?: number }).status === 404) throw new errors.ValidationError(`segmentId: no segment "${segmentId}"`);
      throw error;
    }
  }

  async function trackedZones(knex: Knex, customerIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (customerIds.length === 0 || !(await knex.schema.hasTable('moat_visitors'))) return out;
    // newest visit last: later rows overwrite earlier ones
    const rows = await knex('moat_visitors').select('customer_id', 'timezone').whereIn('customer_id', customerIds).whereNotNull('timezone').orderBy('last_seen_at', 'asc');
    for (const r of rows as Array<{ customer_id: string; timezone: string }>) out.set(r.customer_id, r.timezone);
    return out;
  }

  return {
    rulesOf,

    async page(rules: unknown, afterRowId: number, limit: number): Promise<Recipient[]> {
      const knex = strapi.db.connection;
      const table = strapi.db.metadata.get(CUSTOMER_UID as never).tableName;
      const qb = knex(`${table} as c`)
        .select('c.id', 'c.document_id', 'c.email', 'c.name', 'c.company', 'c.country', 'c.language', 'c.time_zone', 'c.email_consent')
        .where('c.id', '>', afterRowId)
        .orderBy('c.id', 'asc')
        .limit(limit);
      segments().applyTo(qb, rules, 'c');
      const rows = (await qb) as Array<Record<string, any>>;
      const zones = await trackedZones(
        knex,
        rows.filter((r) => !r.time_zone).map((r) => r.document_id),
      );
      return rows.map((r) => ({
        rowId: Number(r.id),
        customerId: r.document_id,
        email: r.email ?? null,
        name: r.name ?? null,
        company: r.company ?? null,
        country: r.country ?? null,
        language: r.language ?? null,
        timeZone: r.time_zone || zones.get(r.document_id) || null,
        emailConsent: r.email_consent ?? null,
      }));
    },
  };
}
