import type { Core } from '@strapi/strapi';

/** Whom a privacy request is about (Shopify's customers/data_request and customers/redact). */
export interface PrivacySubject {
  email?: string | null;
  phone?: string | null;
  /** the CRM customer's documentId, when known */
  customerId?: string | null;
  /** e.g. shopify:<shop>:<id> */
  externalId?: string | null;
}

const UID = {
  customer: 'plugin::crm.customer',
  inquiry: 'plugin::crm.inquiry',
  followUp: 'plugin::crm.follow-up',
  quote: 'plugin::crm.quote',
} as const;

type Row = Record<string, unknown> & { id: number; documentId: string };

/**
 * The CRM's part of a privacy request: the customer (and customers merged into it), their
 * inquiries, follow-ups and quotes. export reads them all; redact deletes them all (a quote
 * or follow-up without its buyer is no use to anyone, and keeps nothing identifying).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const q = (uid: string) => strapi.db.query(uid as never);

  async function gather(subject: PrivacySubject) {
    const or: Array<Record<string, unknown>> = [];
    if (subject.customerId) or.push({ documentId: subject.customerId });
    if (subject.externalId) or.push({ externalId: subject.externalId });
    if (subject.email) or.push({ email: { $eqi: subject.email.trim() } });
    if (subject.phone) or.push({ phone: subject.phone }, { whatsapp: subject.phone });
    if (or.length === 0) return { customers: [], inquiries: [], followUps: [], quotes: [] };
    const direct = (await q(UID.customer).findMany({ where: { $or: or } })) as Row[];
    const merged = direct.length ? ((await q(UID.customer).findMany({ where: { mergedInto: { $in: direct.map((c) => c.documentId) } } })) as Row[]) : [];
    const customers = [...direct, ...merged.filter((m) => !direct.some((d) => d.id === m.id))];
    const ids = customers.map((c) => c.id);
    const inquiries = ids.length ? ((await q(UID.inquiry).findMany({ where: { customer: { id: { $in: ids } } } })) as Row[]) : [];
    const inquiryIds = inquiries.map((i) => i.id);
    const followUps = ids.length
      ? ((await q(UID.followUp).findMany({ where: { $or: [{ customer: { id: { $in: ids } } }, ...(inquiryIds.length ? [{ inquiry: { id: { $in: inquiryIds } } }] : [])] } })) as Row[])
      : [];
    const quotes = inquiryIds.length ? ((await q(UID.quote).findMany({ where: { inquiry: { id: { $in: inquiryIds } } } })) as Row[]) : [];
    return { customers, inquiries, followUps, quotes };
  }

  return {
    async export(subject: PrivacySubject) {
      return gather(subject);
    },

    async redact(subject: PrivacySubject): Promise<Record<string, number>> {
      const found = await gather(subject);
      const removed: Record<string, number> = { quoteFiles: 0 };
      // the quote service also deletes the quote's file from disk
      const quotes = strapi.plugin('crm').service('quotes') as { remove(documentId: string): Promise<void> };
      for (const quote of found.quotes) {
        await quotes.remove(quote.documentId).catch(() => undefined);
        removed.quoteFiles++;
      }
      // children first: no relation is left pointing at a deleted row
      for (const [key, uid, rows] of [
        ['quotes', UID.quote, found.quotes],
        ['followUps', UID.followUp, found.followUps],
        ['inquiries', UID.inquiry, found.inquiries],
        ['customers', UID.customer, found.customers],
      ] as const) {
        removed[key] = rows.length ? (await q(uid).deleteMany({ where: { id: { $in: rows.map((r) => r.id) } } })).count : 0;
      }
      return removed;
    },
  };
};
