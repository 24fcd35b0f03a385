import { packageRoot } from '@moat/plugin-kit';
import { join } from 'node:path';
import type { Core } from '@strapi/strapi';
import { loadDefaultTemplates } from '../render/defaults';
import { PARTIAL_UID, PLUGIN_ID, TEMPLATE_UID } from '../utils/constants';

const NAMES: Record<string, string> = {
  welcome: 'Welcome',
  shipping: 'Shipping confirmation',
  milestone: 'Milestone',
  loyalty: 'Loyalty tier',
  'follow-up': 'Inquiry follow-up',
};

/**
 * Seeds the default templates and partials from templates/ when missing. A template whose
 * name exists (in any locale) and a partial whose name exists are left alone, so edits and
 * deletions made by the content team are never overwritten.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async run(dir = join(packageRoot(__dirname), 'templates')): Promise<string[]> {
    const defaults = loadDefaultTemplates(dir);
    const created: string[] = [];
    for (const [name, mjml] of Object.entries(defaults[0]?.partials ?? {})) {
      if ((await strapi.db.query(PARTIAL_UID).count({ where: { name } })) === 0) {
        await strapi.documents(PARTIAL_UID).create({ data: { name, mjml } as any });
        created.push(`partial:${name}`);
      }
    }
    const locales = strapi.plugin('i18n').service('locales');
    const existing = new Set(((await locales.find()) as Array<{ code: string }>).map((l) => l.code));
    const defaultLocale = (await locales.getDefaultLocale()) as string;
    for (const kind of Object.keys(NAMES)) {
      const name = NAMES[kind];
      if ((await strapi.db.query(TEMPLATE_UID).count({ where: { name } })) > 0) continue;
      const versions = defaults.filter((t) => t.kind === kind);
      const first = versions.find((t) => t.locale === defaultLocale) ?? versions[0];
      const data = (t: (typeof versions)[number]) => ({ name, kind, subject: t.subject, mjml: t.mjml, sampleData: t.sample });
      const doc = await strapi.documents(TEMPLATE_UID).create({ locale: first.locale, data: data(first) as any });
      for (const t of versions) {
        if (t === first) continue;
        if (!existing.has(t.locale)) {
          await locales.create({ code: t.locale, name: t.locale });
          existing.add(t.locale);
        }
        await strapi.documents(TEMPLATE_UID).update({ documentId: doc.documentId, locale: t.locale, data: data(t) as any });
      }
      created.push(`template:${kind}`);
    }
    if (created.length > 0) strapi.log.info(`[${PLUGIN_ID}] seeded ${created.join(', ')}`);
    return created;
  },
});
