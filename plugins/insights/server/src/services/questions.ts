import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TOUCHPOINTS } from '../utils/constants';
import { dayStart } from '../utils/days';
import { getService } from '../utils/get-service';

const FAQ_UID = 'plugin::product-content.faq-item';
const MAX_ROWS = 20_000;
const TOP = 50;

/** Same question, different typing: case, spaces and trailing punctuation do not matter. */
export const normalizeQuestion = (text: string) =>
  text.toLowerCase().replace(/\s+/g, ' ').replace(/[\s?!.。？！,，]+$/u, '').trim();

const parse = (p: unknown): Record<string, any> => (typeof p === 'string' ? JSON.parse(p) : ((p as Record<string, any>) ?? {}));

/**
 * What buyers ask: the most inquired products and the questions that recur in inquiry and
 * contact-form messages, by country and language. Each links to the product's FAQ editor;
 * a question no FAQ item of its product answers is a backlog item.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async get(fromDay: number, toDay: number) {
    const knex: Knex = strapi.db.connection;
    const { offset } = getService(strapi, 'settings').get();
    const rows = await knex(TOUCHPOINTS)
      .select('type', 'country', 'properties')
      .whereIn('type', ['inquiry_created', 'form_submit'])
      .andWhere('occurred_at', '>=', dayStart(fromDay, offset))
      .andWhere('occurred_at', '<', dayStart(toDay + 1, offset))
      .orderBy('id', 'desc')
      .limit(MAX_ROWS);
    const products = new Map<string, { key: string; title: string; inquiries: number; countries: Record<string, number> }>();
    const questions = new Map<string, { question: string; count: number; productKey: string | null; countries: Record<string, number>; languages: Record<string, number> }>();
    for (const r of rows) {
      const p = parse(r.properties);
      const country: string = r.country ?? '';
      const product = p.product && typeof p.product === 'object' ? p.product : null;
      const key: string | null = product && typeof product.key === 'string' ? product.key : null;
      if (r.type === 'inquiry_created' && key) {
        const e = products.get(key) ?? { key, title: String(product.title ?? key), inquiries: 0, countries: {} as Record<string, number> };
        e.inquiries++;
        e.countries[country] = (e.countries[country] ?? 0) + 1;
        products.set(key, e);
      }
      const message = r.type === 'inquiry_created' ? p.message : ['contact', 'inquiry'].includes(p.form) ? p.fields?.message : null;
      if (typeof message !== 'string' || !message.trim()) continue;
      const norm = normalizeQuestion(message).slice(0, 500);
      const qk = `${key ?? ''}|${norm}`;
      const q = questions.get(qk) ?? { question: message.trim().slice(0, 500), count: 0, productKey: key as string | null, countries: {} as Record<string, number>, languages: {} as Record<string, number> };
      const language = typeof p.language === 'string' ? p.language : '';
      q.count++;
      q.countries[country] = (q.countries[country] ?? 0) + 1;
      q.languages[language] = (q.languages[language] ?? 0) + 1;
      questions.set(qk, q);
    }
    const recurring = [...questions.values()].filter((q) => q.count >= 2).sort((a, b) => b.count - a.count).slice(0, TOP);
    const answered = await this.answered(recurring.map((q) => q.productKey).filter((k): k is string => !!k));
    return {
      products: [...products.values()].sort((a, b) => b.inquiries - a.inquiries || a.key.localeCompare(b.key)).slice(0, TOP).map((p) => ({ ...p, faqEditor: faqEditorUrl(p.key) })),
      questions: recurring.map((q) => ({
        ...q,
        hasFaq: q.productKey ? (answered.get(q.productKey)?.has(normalizeQuestion(q.question)) ?? false) : false,
        faqEditor: q.productKey ? faqEditorUrl(q.productKey) : null,
      })),
    };
  },

  /** Normalized FAQ questions per product, when the product-content plugin is there. */
  async answered(keys: string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (keys.length === 0 || !strapi.contentTypes[FAQ_UID as never]) return out;
    const items = (await strapi.db.query(FAQ_UID as never).findMany({ where: { productKey: { $in: [...new Set(keys)] } }, select: ['productKey', 'question'] })) as { productKey: string; question: string }[];
    for (const item of items) out.set(item.productKey, (out.get(item.productKey) ?? new Set()).add(normalizeQuestion(item.question)));
    return out;
  },
});

export const faqEditorUrl = (productKey: string) =>
  `/admin/content-manager/collection-types/${FAQ_UID}?filters[$and][0][productKey][$eq]=${encodeURIComponent(productKey)}`;
