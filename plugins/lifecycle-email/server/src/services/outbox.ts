import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { simpleParser } from 'mailparser';
import { PLUGIN_ID } from '../utils/constants';

export interface OutboxEntry {
  file: string;
  to: string;
  subject: string;
  sentAt: string;
}

const FILE = /^[\w.-]+\.eml$/;

/** Reads the local outbox (the embedded default transport) so the admin can show what was "sent". */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const dir = () => {
    const d = strapi.plugin(PLUGIN_ID).config('outboxDir') as string;
    return isAbsolute(d) ? d : join(strapi.dirs.app.root, d);
  };
  return {
    /** newest first, at most `limit` messages */
    async list(limit = 50): Promise<OutboxEntry[]> {
      if (!existsSync(dir())) return [];
      const files = readdirSync(dir())
        .filter((f) => FILE.test(f))
        .map((f) => ({ f, t: statSync(join(dir(), f)).mtimeMs }))
        .sort((a, b) => b.t - a.t || b.f.localeCompare(a.f))
        .slice(0, limit);
      return Promise.all(
        files.map(async ({ f, t }) => {
          const mail = await simpleParser(readFileSync(join(dir(), f)));
          return { file: f, to: mail.to ? (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to.text) : '', subject: mail.subject ?? '', sentAt: new Date(t).toISOString() };
        }),
      );
    },

    /** @throws NotFoundError for a name that is not a message in the outbox (no path tricks) */
    async html(file: string): Promise<string> {
      if (!FILE.test(file) || !existsSync(join(dir(), file))) throw new errors.NotFoundError(`No outbox message "${file}"`);
      const mail = await simpleParser(readFileSync(join(dir(), file)));
      return typeof mail.html === 'string' ? mail.html : `<pre>${(mail.text ?? '').replace(/[<&]/g, (c) => (c === '<' ? '&lt;' : '&amp;'))}</pre>`;
    },
  };
};
