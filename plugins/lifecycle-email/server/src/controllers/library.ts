import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { TEMPLATE_UID } from '../utils/constants';
import { getService } from '../utils/get-service';

/** The admin page's data: templates by kind and language, and the local outbox. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async gallery(ctx: Context) {
    const rows = (await strapi.db.query(TEMPLATE_UID).findMany({ select: ['documentId', 'name', 'kind', 'locale', 'subject', 'version', 'updatedAt'], orderBy: [{ kind: 'asc' }, { name: 'asc' }], limit: 1000 })) as any[];
    type Version = { locale: string; subject: string; version: string; updatedAt: string };
    const byDoc = new Map<string, { documentId: string; name: string; kind: string; versions: Version[] }>();
    for (const r of rows) {
      const entry = byDoc.get(r.documentId) ?? { documentId: r.documentId, name: r.name, kind: r.kind, versions: [] as Version[] };
      entry.versions.push({ locale: r.locale, subject: r.subject, version: r.version, updatedAt: r.updatedAt });
      byDoc.set(r.documentId, entry);
    }
    ctx.body = { templates: [...byDoc.values()] };
  },
  async outbox(ctx: Context) {
    ctx.body = { messages: await getService(strapi, 'outbox').list() };
  },
  async outboxMessage(ctx: Context) {
    ctx.body = { html: await getService(strapi, 'outbox').html(String(ctx.params.file)) };
  },
});
