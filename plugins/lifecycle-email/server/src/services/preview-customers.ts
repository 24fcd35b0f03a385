import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

const CUSTOMER_UID = 'plugin::crm.customer';
const FIELDS = ['email', 'name', 'company', 'country', 'timeZone', 'language', 'ordersCount', 'totalSpent', 'currency', 'firstOrderAt', 'lastOrderAt', 'tier', 'stage'] as const;

/** What the admin's customer picker lists. */
export interface PreviewCustomer {
  documentId: string;
  name: string | null;
  email: string | null;
  company: string | null;
  country: string | null;
  language: string | null;
}

type CustomerRow = { documentId: string } & Partial<Record<(typeof FIELDS)[number], unknown>>;

const present = (entries: Array<[string, unknown]>) => Object.fromEntries(entries.filter(([, v]) => v !== null && v !== undefined && v !== ''));

/**
 * A CRM customer as template data, in the shape the templates use (`customer.firstName`,
 * `customer.orderCount`, ...). Empty fields are left out, not blanked: the preview then shows
 * what a send to this customer would lack, as an unresolved variable.
 */
export function customerTemplateData(c: CustomerRow): Record<string, unknown> {
  const name = typeof c.name === 'string' ? c.name.trim() : '';
  // "Anna Schmidt" -> "Anna"; a name without spaces (李娜) is used whole
  const firstName = name.split(/\s+/)[0] ?? '';
  return present([
    ['documentId', c.documentId],
    ['name', name],
    ['firstName', firstName],
    ['email', c.email],
    ['company', c.company],
    ['country', c.country],
    ['timeZone', c.timeZone],
    ['language', c.language],
    ['orderCount', c.ordersCount],
    ['totalSpent', c.totalSpent === undefined || c.totalSpent === null ? undefined : Number(c.totalSpent)],
    ['currency', c.currency],
    ['firstOrderAt', c.firstOrderAt],
    ['lastOrderAt', c.lastOrderAt],
    ['tier', c.tier],
    ['stage', c.stage],
  ]);
}

/**
 * Real customers for the template preview: a search for the picker, and a customer's data
 * laid over the template's sample data (shop, links and labels stay the sample's). Reads the
 * CRM's content type; without the CRM plugin there are no customers (404).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const crmLoaded = () => Boolean((strapi.contentTypes as Record<string, unknown>)[CUSTOMER_UID]);
  const customers = () => {
    if (!crmLoaded()) throw new errors.NotFoundError('Customer data needs the CRM plugin, which is not loaded');
    return strapi.documents(CUSTOMER_UID as never);
  };

  return {
    /** Up to 20 customers whose name, email or company contains `q` (merged duplicates left out); newest first without `q`. */
    async search(q: string): Promise<PreviewCustomer[]> {
      const text = q.trim();
      const match = text ? { $or: [{ name: { $containsi: text } }, { email: { $containsi: text } }, { company: { $containsi: text } }] } : {};
      const rows = (await customers().findMany({
        filters: { ...match, mergedInto: { $null: true } },
        fields: ['name', 'email', 'company', 'country', 'language'],
        sort: ['updatedAt:desc'],
        limit: 20,
      } as never)) as unknown as CustomerRow[];
      return rows.map((r) => ({
        documentId: r.documentId,
        name: (r.name as string | null) ?? null,
        email: (r.email as string | null) ?? null,
        company: (r.company as string | null) ?? null,
        country: (r.country as string | null) ?? null,
        language: (r.language as string | null) ?? null,
      }));
    },

    /**
     * `base` (the sample data) with `customer` replaced by the real customer's fields.
     * @throws NotFoundError naming the id when there is no such customer
     */
    async dataFor(customerId: string, base: Record<string, unknown>): Promise<Record<string, unknown>> {
      const row = (await customers().findOne({ documentId: customerId, fields: [...FIELDS] } as never)) as unknown as CustomerRow | null;
      if (!row) throw new errors.NotFoundError(`No CRM customer ${customerId}`);
      return { ...base, customer: customerTemplateData(row) };
    },
  };
};
