import type { Core } from '@strapi/strapi';
import { FAQ_UID, SELLING_POINT_UID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { buildFaqJsonLd } from './json-ld';
import { markdownToSafeHtml } from './markdown';

/** Items per product are few; the cap keeps one key from returning an unbounded list. */
const MAX_ITEMS = 200;

interface Localized {
  documentId: string;
  locale: string;
  position: number | null;
  updatedAt?: string;
  publishedAt?: string;
}

export interface FaqEntry {
  id: string;
  question: string;
  answer: string;
  answerHtml: string;
  position: number;
  locale: string;
  /** true when the requested translation is missing and the default locale is served */
  fallback: boolean;
}

export interface SellingPointEntry {
  id: string;
  title: string;
  body: string;
  icon: string | null;
  image: { url: string; alternativeText: string | null; width: number | null; height: number | null } | null;
  position: number;
  locale: string;
  fallback: boolean;
}

export interface ProductContent {
  product: string;
  locale: string;
  defaultLocale: string;
  /** true when at least one item is served in the default locale instead of the requested one */
  fallbackUsed: boolean;
  faqs: FaqEntry[];
  sellingPoints: SellingPointEntry[];
  jsonLd: Record<string, unknown> | null;
}

/**
 * Merges the requested locale with the default one per document: every item appears once,
 * translated when a published translation exists, otherwise in the default locale.
 */
export function mergeWithFallback<T extends Localized>(requested: T[], fallback: T[], locale: string): Array<T & { fallback: boolean }> {
  const byId = new Map<string, T & { fallback: boolean }>();
  for (const item of fallback) byId.set(item.documentId, { ...item, fallback: item.locale !== locale });
  for (const item of requested) byId.set(item.documentId, { ...item, fallback: false });
  return [...byId.values()].sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.documentId.localeCompare(b.documentId));
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Published FAQ items and selling points of one product, in order, in the requested
   * locale with per-item fallback to the default locale. An unknown product yields empty lists.
   * @throws ValidationError when the locale is not configured.
   */
  async forProduct(productKey: string, requestedLocale?: string): Promise<ProductContent> {
    const { locale, defaultLocale } = await getService(strapi, 'locales').resolve(requestedLocale);
    const locales = locale === defaultLocale ? [locale] : [locale, defaultLocale];

    const load = async (uid: typeof FAQ_UID | typeof SELLING_POINT_UID, loc: string, populate?: string[]) =>
      (await strapi.documents(uid).findMany({
        filters: { productKey: { $eq: productKey } },
        locale: loc,
        status: 'published',
        sort: ['position:asc', 'id:asc'],
        limit: MAX_ITEMS,
        ...(populate ? { populate } : {}),
      })) as unknown as Array<Localized & Record<string, any>>;

    const [faqReq, faqDef, spReq, spDef] = await Promise.all([
      load(FAQ_UID, locales[0]),
      locales[1] ? load(FAQ_UID, locales[1]) : Promise.resolve([]),
      load(SELLING_POINT_UID, locales[0], ['image']),
      locales[1] ? load(SELLING_POINT_UID, locales[1], ['image']) : Promise.resolve([]),
    ]);

    const faqs: FaqEntry[] = mergeWithFallback(faqReq, faqDef, locale).map((f) => ({
      id: f.documentId,
      question: f.question,
      answer: f.answer ?? '',
      answerHtml: markdownToSafeHtml(f.answer ?? ''),
      position: f.position ?? 0,
      locale: f.locale,
      fallback: f.fallback,
    }));
    const sellingPoints: SellingPointEntry[] = mergeWithFallback(spReq, spDef, locale).map((s) => ({
      id: s.documentId,
      title: s.title,
      body: s.body ?? '',
      icon: s.icon ?? null,
      image: s.image
        ? {
            url: s.image.url,
            alternativeText: s.image.alternativeText ?? null,
            width: s.image.width ?? null,
            height: s.image.height ?? null,
          }
        : null,
      position: s.position ?? 0,
      locale: s.locale,
      fallback: s.fallback,
    }));

    return {
      product: productKey,
      locale,
      defaultLocale,
      fallbackUsed: faqs.some((f) => f.fallback) || sellingPoints.some((s) => s.fallback),
      faqs,
      sellingPoints,
      jsonLd: buildFaqJsonLd(faqs, locale),
    };
  },
});
