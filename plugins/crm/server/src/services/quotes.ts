/**
 * Quotes: a quotation file attached to an inquiry, kept in the quotes directory (never under
 * public/), opened by the buyer through an unguessable link. Each open is a `quote_opened`
 * touchpoint (when, country from the IP, device from the User-Agent) and counts in the score.
 * Sending returns the link for the salesperson's own email or chat (no email is sent here).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import * as geoip from 'geoip-country';
import { UAParser } from 'ua-parser-js';
import { engageConfig } from '../engage/config';
import { INQUIRY_UID } from '../utils/constants';
import type { Clock } from './clock';

export const QUOTE_UID = 'plugin::crm.quote' as const;
/** 32 random bytes, base64url: 43 characters */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SAFE_EXT = /^\.[a-z0-9]{1,8}$/;

export class QuoteError extends Error {
  constructor(
    readonly status: 400 | 404 | 413,
    message: string,
  ) {
    super(message);
  }
}

function deviceOf(userAgent: string) {
  const parsed = new UAParser(userAgent.slice(0, 512)).getResult();
  return {
    device: parsed.device.type === 'mobile' || parsed.device.type === 'tablet' ? parsed.device.type : 'desktop',
    browser: parsed.browser.name ?? null,
    os: parsed.os.name ?? null,
  };
}

function countryOf(ip: string): string | null {
  try {
    return geoip.lookup(ip.startsWith('::ffff:') ? ip.slice(7) : ip)?.country ?? null;
  } catch {
    return null;
  }
}

type Doc = Record<string, any>;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const clock = () => strapi.plugin('crm').service('clock') as Clock;
  const dir = () => path.resolve(strapi.dirs.app.root, engageConfig(strapi).quotes.dir);
  const docs = () => strapi.documents(QUOTE_UID);

  return {
    /** Stores the file (a temp file path or bytes) and creates the quote with a fresh token. */
    async attach(inquiryId: string, file: { name: string; type?: string; path?: string; data?: Buffer }) {
      const inquiry = await strapi.documents(INQUIRY_UID).findOne({ documentId: inquiryId });
      if (!inquiry) throw new QuoteError(404, `no inquiry ${inquiryId}`);
      const size = file.data ? file.data.length : file.path ? (await stat(file.path)).size : 0;
      if (size === 0) throw new QuoteError(400, 'file: empty or missing');
      if (size > engageConfig(strapi).quotes.maxBytes) throw new QuoteError(413, `file: larger than ${engageConfig(strapi).quotes.maxBytes} bytes`);
      const name = path.basename(String(file.name || 'quote')).slice(0, 200);
      const ext = path.extname(name).toLowerCase();
      const storedName = `${randomBytes(16).toString('hex')}${SAFE_EXT.test(ext) ? ext : ''}`;
      await mkdir(dir(), { recursive: true });
      if (file.data) await writeFile(path.join(dir(), storedName), file.data);
      else await copyFile(file.path as string, path.join(dir(), storedName));
      const token = randomBytes(32).toString('base64url');
      const quote = await docs().create({
        data: { inquiry: inquiryId, token, fileName: name, mimeType: (file.type || 'application/octet-stream').slice(0, 128), size, storedName, opens: 0 } as any,
      });
      return { ...quote, token };
    },

    url(token: string) {
      const base = engageConfig(strapi).quotes.publicUrl || (strapi.config.get('server.url') as string) || '';
      return `${base.replace(/\/$/, '')}/api/crm/quotes/${token}`;
    },

    /** Marks the quote sent to the buyer and returns the tracked link to send. */
    async send(quoteId: string, to?: string) {
      const quote = (await strapi.db.query(QUOTE_UID).findOne({ where: { documentId: quoteId }, populate: { inquiry: { populate: { customer: true } } } })) as Doc | null;
      if (!quote) throw new QuoteError(404, `no quote ${quoteId}`);
      const sentTo = to ?? quote.inquiry?.customer?.email ?? null;
      await docs().update({ documentId: quoteId, data: { sentTo, sentAt: clock().now().toISOString() } as any });
      if (quote.inquiry?.documentId && ['new', 'contacted'].includes(quote.inquiry.status))
        await strapi.documents(INQUIRY_UID).update({ documentId: quote.inquiry.documentId, data: { status: 'quoted' } as any });
      return { url: this.url(quote.token), sentTo, emailed: false };
    },

    async list(inquiryId: string) {
      const rows = (await strapi.db.query(QUOTE_UID).findMany({ where: { inquiry: { documentId: inquiryId } }, orderBy: { createdAt: 'desc' } })) as Doc[];
      return rows.map(({ storedName: _s, token, ...rest }) => ({ ...rest, url: this.url(token) }));
    },

    /** A buyer opened the link: the file to serve, after recording the open; null for an unknown token. */
    async open(token: string, client: { ip: string; userAgent: string }) {
      if (!TOKEN_PATTERN.test(token)) return null;
      const quote = (await strapi.db.query(QUOTE_UID).findOne({ where: { token }, populate: { inquiry: { populate: { customer: true } } } })) as Doc | null;
      if (!quote) return null;
      const file = path.join(dir(), quote.storedName);
      const now = clock().now();
      const customerId: string | undefined = quote.inquiry?.customer?.documentId;
      await strapi.db.connection(strapi.db.metadata.get(QUOTE_UID).tableName).where({ id: quote.id }).increment('opens', 1).update({ last_opened_at: now });
      if (customerId) {
        await strapi
          .plugin('tracking')
          ?.service('touchpoints')
          .record({
            type: 'quote_opened',
            channel: 'email',
            occurredAt: now,
            customerId,
            country: countryOf(client.ip),
            ...deviceOf(client.userAgent),
            properties: { quoteId: quote.documentId, inquiryId: quote.inquiry?.documentId ?? null, fileName: quote.fileName },
          });
        strapi.plugin('crm').service('scoring').schedule(customerId);
      }
      return { stream: () => createReadStream(file), fileName: quote.fileName as string, mimeType: quote.mimeType as string, size: quote.size as number };
    },

    async remove(quoteId: string) {
      const quote = (await strapi.db.query(QUOTE_UID).findOne({ where: { documentId: quoteId } })) as Doc | null;
      if (!quote) throw new QuoteError(404, `no quote ${quoteId}`);
      await docs().delete({ documentId: quoteId });
      await rm(path.join(dir(), quote.storedName), { force: true });
    },
  };
};
