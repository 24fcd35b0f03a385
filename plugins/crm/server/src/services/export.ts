import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { CUSTOMER_UID, INQUIRY_UID } from '../utils/constants';
import type { Scope } from '../utils/scope';
import { inquiryScopeFilter } from './inquiry-board';

const PAGE = 1000;
const CUSTOMER_COLUMNS = ['documentId', 'email', 'name', 'phone', 'whatsapp', 'company', 'jobTitle', 'country', 'timeZone', 'language', 'tags', 'tier', 'stage', 'birthday', 'score', 'grade', 'owner', 'emailConsent', 'ordersCount', 'totalSpent', 'currency', 'firstOrderAt', 'lastOrderAt', 'firstSeenAt', 'lastSeenAt', 'createdAt'];
const INQUIRY_COLUMNS = ['documentId', 'customerEmail', 'customerName', 'productKey', 'productTitle', 'variant', 'quantity', 'unit', 'targetPrice', 'currency', 'incoterm', 'channel', 'status', 'lostReason', 'owner', 'message', 'language', 'nextFollowUpAt', 'createdAt'];

/**
 * One CSV cell (RFC 4180 quoting). A value a spreadsheet would run as a formula (= + - @, tab,
 * CR) gets a leading apostrophe: an exported buyer name must not execute in Excel.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(';') : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;
/** tags: a JSON list (text on SQLite, jsonb on PostgreSQL) → "a;b" */
const tagsOf = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
};
const ownerName = (owner: unknown) => {
  const o = owner as { firstname?: string; lastname?: string; email?: string } | null | undefined;
  return o ? [o.firstname, o.lastname].filter(Boolean).join(' ') || o.email || '' : '';
};

/**
 * CSV exports, streamed: pages of 1,000 by id (keyset), each written as it is read, so memory
 * stays flat for any number of customers. Only what the caller's scope sees.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  async function* pages(uid: typeof CUSTOMER_UID | typeof INQUIRY_UID, filter: Record<string, unknown>, populate: Record<string, unknown>) {
    let after = 0;
    for (;;) {
      const rows = (await strapi.documents(uid).findMany({
        filters: { $and: [filter, { id: { $gt: after } }] } as never,
        populate: populate as never,
        sort: { id: 'asc' } as never,
        limit: PAGE,
      })) as unknown as Array<Record<string, unknown> & { id: number }>;
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1].id;
      if (rows.length < PAGE) return;
    }
  }

  return {
    /** customers read with knex (a Document Service page with its owner populated is ~10x slower at 100K) */
    customers(scope: Scope): Readable {
      const knex = strapi.db.connection;
      const meta = strapi.db.metadata.get(CUSTOMER_UID);
      const col = (attribute: string) => (meta.attributes[attribute] as { columnName?: string }).columnName ?? attribute;
      const link = (meta.attributes.owner as unknown as { joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } } }).joinTable;
      const users = strapi.db.metadata.get('admin::user').tableName;
      const fields = CUSTOMER_COLUMNS.filter((k) => k !== 'owner');
      return Readable.from(
        (async function* () {
          yield `\uFEFF${csvLine(CUSTOMER_COLUMNS)}`; // BOM: Excel opens UTF-8 (Chinese names) correctly
          let after = 0;
          for (;;) {
            const q = knex(`${meta.tableName} as c`)
              .leftJoin(`${link.name} as o`, `o.${link.joinColumn.name}`, 'c.id')
              .leftJoin(`${users} as u`, 'u.id', `o.${link.inverseJoinColumn.name}`)
              .select('c.id', ...fields.map((k) => `c.${col(k)} as ${k}`), 'u.firstname as ownerFirstname', 'u.lastname as ownerLastname')
              .whereNull(`c.${col('mergedInto')}`)
              .andWhere('c.id', '>', after)
              .orderBy('c.id', 'asc')
              .limit(PAGE);
            if (!scope.all) q.andWhere((w) => w.where(`o.${link.inverseJoinColumn.name}`, scope.userId).orWhereNull(`o.${link.inverseJoinColumn.name}`));
            const rows = (await q) as Array<Record<string, unknown> & { id: number }>;
            if (rows.length === 0) return;
            yield rows
              .map((c) =>
                csvLine(
                  CUSTOMER_COLUMNS.map((k) => {
                    if (k === 'owner') return ownerName({ firstname: c.ownerFirstname, lastname: c.ownerLastname });
                    if (k === 'tags') return tagsOf(c.tags);
                    if (typeof c[k] === 'number' && k.endsWith('At')) return new Date(c[k] as number);
                    return c[k];
                  }),
                ),
              )
              .join('');
            after = Number(rows[rows.length - 1].id);
            if (rows.length < PAGE) return;
          }
        })(),
      );
    },
    inquiries(scope: Scope): Readable {
      return Readable.from(
        (async function* () {
          yield `\uFEFF${csvLine(INQUIRY_COLUMNS)}`;
          const populate = { owner: { fields: ['firstname', 'lastname'] }, customer: { fields: ['email', 'name'] } };
          for await (const rows of pages(INQUIRY_UID, inquiryScopeFilter(scope), populate)) {
            yield rows
              .map((i) => {
                const customer = (i.customer ?? {}) as { email?: string; name?: string };
                return csvLine(INQUIRY_COLUMNS.map((k) => (k === 'owner' ? ownerName(i.owner) : k === 'customerEmail' ? customer.email : k === 'customerName' ? customer.name : i[k])));
              })
              .join('');
          }
        })(),
      );
    },
  };
};
