import type { Core } from '@strapi/strapi';
import { MESSAGES_TABLE, SUPPRESSIONS_TABLE } from '../migrations';

/** Whom a privacy request is about (see plugin::crm.privacy). */
export interface PrivacySubject {
  email?: string | null;
  phone?: string | null;
  customerId?: string | null;
  externalId?: string | null;
}

/**
 * lifecycle-email's part of a privacy request: the message log rows sent to the subject (by
 * customer or address, their rendered data included) and the address's suppressions. Redact
 * deletes the suppression too: after erasure there is no customer left to mail, and keeping
 * the address would keep the very data the buyer asked to erase.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const email = (s: PrivacySubject) => s.email?.trim().toLowerCase() || null;

  const messages = (s: PrivacySubject) =>
    knex()(MESSAGES_TABLE).where((w) => {
      w.whereRaw('1 = 0');
      if (s.customerId) w.orWhere('customer_id', s.customerId);
      const address = email(s);
      if (address) w.orWhereRaw('lower(recipient) = ?', [address]);
    });
  const suppressions = (s: PrivacySubject) => knex()(SUPPRESSIONS_TABLE).whereRaw('lower(address) = ?', [email(s) ?? '']);

  return {
    async export(subject: PrivacySubject) {
      const rows = (await messages(subject).select('*').orderBy('id')) as Array<Record<string, unknown>>;
      return {
        messages: rows.map((r) => ({ ...r, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data })),
        suppressions: await suppressions(subject).select('*'),
      };
    },

    async redact(subject: PrivacySubject): Promise<Record<string, number>> {
      return { messages: Number(await messages(subject).delete()), suppressions: Number(await suppressions(subject).delete()) };
    },
  };
};
