/** Helpers that create CMS content through Strapi's Document Service, as the admin does. */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';

export const uniqueKey = (prefix = 'p') => `${prefix}-${randomUUID().slice(0, 12)}`;

export async function ensureLocale(strapi: Core.Strapi, code: string, name = code): Promise<void> {
  const locales = strapi.plugin('i18n').service('locales');
  const existing = (await locales.find()) as Array<{ code: string }>;
  if (!existing.some((l) => l.code === code)) await locales.create({ code, name });
}

/**
 * Creates one document with a version per locale (the first entry is the default locale).
 * `publish` lists the locales to publish; the others stay drafts.
 */
export async function createLocalizedDocument(
  strapi: Core.Strapi,
  uid: string,
  versions: Record<string, Record<string, unknown>>,
  publish: string[] = Object.keys(versions),
): Promise<string> {
  const docs = strapi.documents(uid as any);
  const [first, ...rest] = Object.entries(versions);
  const created = await docs.create({ locale: first[0], data: first[1] as any });
  for (const [locale, data] of rest) await docs.update({ documentId: created.documentId, locale, data: data as any });
  for (const locale of publish) await docs.publish({ documentId: created.documentId, locale });
  return created.documentId;
}
