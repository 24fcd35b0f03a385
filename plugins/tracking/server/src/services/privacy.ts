import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

/** Whom a privacy request is about (see plugin::crm.privacy). */
export interface PrivacySubject {
  email?: string | null;
  phone?: string | null;
  customerId?: string | null;
  externalId?: string | null;
}

const TOUCHPOINTS = 'moat_touchpoints';
const VISITORS = 'moat_visitors';

/**
 * Tracking's part of a privacy request: the visitors linked to the customer, every touchpoint
 * of the customer or of those visitors, and touchpoints whose properties name the subject's
 * email or phone (a form submitted before the visitor was known).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const isPg = () => String(knex().client.config.client).includes('pg') || String(knex().client.config.client).includes('postgres');

  async function visitorIds(subject: PrivacySubject): Promise<string[]> {
    if (!subject.customerId) return [];
    return (await knex()(VISITORS).where({ customer_id: subject.customerId }).select('visitor_id')).map((r: { visitor_id: string }) => r.visitor_id);
  }

  function touchpoints(subject: PrivacySubject, visitors: string[]) {
    const needles = [subject.email?.trim(), subject.phone?.trim()].filter((v): v is string => Boolean(v && v.length >= 5));
    const props = isPg() ? 'lower(properties::text)' : 'lower(properties)';
    return (qb: Knex.QueryBuilder) =>
      qb.where((w) => {
        w.whereRaw('1 = 0');
        if (subject.customerId) w.orWhere('customer_id', subject.customerId);
        if (visitors.length) w.orWhereIn('visitor_id', visitors);
        for (const n of needles) w.orWhereRaw(`${props} like ?`, [`%${n.toLowerCase().replace(/[\\%_]/g, '')}%`]);
      });
  }

  return {
    async export(subject: PrivacySubject) {
      const visitors = await visitorIds(subject);
      const rows = await touchpoints(subject, visitors)(knex()(TOUCHPOINTS).select('*').orderBy('occurred_at'));
      const parsed = rows.map((r: Record<string, unknown>) => ({ ...r, properties: typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties }));
      return { visitors: visitors.length ? await knex()(VISITORS).whereIn('visitor_id', visitors) : [], touchpoints: parsed };
    },

    async redact(subject: PrivacySubject): Promise<Record<string, number>> {
      const visitors = await visitorIds(subject);
      const touchpointsRemoved = await touchpoints(subject, visitors)(knex()(TOUCHPOINTS)).delete();
      const visitorsRemoved = visitors.length ? await knex()(VISITORS).whereIn('visitor_id', visitors).delete() : 0;
      return { touchpoints: Number(touchpointsRemoved), visitors: Number(visitorsRemoved) };
    },
  };
};
