import type { Core } from '@strapi/strapi';
import { TABLES } from '../utils/constants';
import { peers } from '../utils/peers';
import { getService } from '../utils/get-service';

/** product-content's document types: a write to either can change a product's metafields */
export const CONTENT_UIDS = new Set(['plugin::product-content.faq-item', 'plugin::product-content.selling-point']);
/** edits in a burst (publishing every translation of one item) become one sync per product */
const DEBOUNCE_MS = 1_000;
/** Shopify's json metafield limit is larger; a page's FAQ this big is a mistake, not content */
const MAX_VALUE_CHARS = 120_000;

/** Strapi i18n codes to Shopify's locale iso codes (what `request.locale.iso_code` is in Liquid) */
const SHOPIFY_LOCALE: Record<string, string> = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', 'pt-BR': 'pt-BR', 'pt-PT': 'pt-PT' };
export const shopifyLocaleOf = (code: string) => SHOPIFY_LOCALE[code] ?? code.split('-')[0];

const METAFIELDS_SET = `mutation MoatMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { key } userErrors { field message code } }
}`;

interface Content {
  faqs: Array<{ question: string; answer: string; answerHtml: string; fallback: boolean }>;
  sellingPoints: Array<{ title: string; body: string; fallback: boolean }>;
}
const faqValue = (c: Content) => c.faqs.map((f) => ({ question: f.question, answer: f.answer, answer_html: f.answerHtml }));
const pointsValue = (c: Content) => c.sellingPoints.map((s) => ({ title: s.title, body: s.body }));

/**
 * Keeps each Shopify product's `moat.faq`, `moat.selling_points` and `moat.faq_i18n` metafields
 * equal to what is published in product-content, so the theme's FAQ block renders from Liquid
 * with no request from the browser. A product-content key matches a Shopify product by id or
 * handle (shopify_products, filled by products/* webhooks), in every shop that has it.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const peer = peers(strapi);
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  /** The three metafield values of a product key (undefined: product-content is not loaded). */
  async function valuesOf(productKey: string): Promise<Record<string, unknown> | undefined> {
    const content = peer.productContent();
    if (!content) return undefined;
    const defaultLocale = (await strapi.plugin('i18n')?.service('locales').getDefaultLocale()) as string | undefined;
    const base = (await content.forProduct(productKey, defaultLocale)) as Content;
    const translations: Record<string, unknown> = {};
    const codes = ((await strapi.plugin('i18n')?.service('locales').find()) as Array<{ code: string }> | undefined) ?? [];
    for (const { code } of codes) {
      if (code === defaultLocale) continue;
      const c = (await content.forProduct(productKey, code)) as Content;
      // only languages with a translation of their own; others fall back in Liquid too
      if (c.faqs.some((f) => !f.fallback) || c.sellingPoints.some((s) => !s.fallback)) translations[shopifyLocaleOf(code)] = { faq: faqValue(c), selling_points: pointsValue(c) };
    }
    let i18n = JSON.stringify(translations);
    if (i18n.length > MAX_VALUE_CHARS) {
      strapi.log.warn(`[shopify] FAQ translations of ${productKey} are over ${MAX_VALUE_CHARS} characters: only the default language goes to Shopify`);
      i18n = '{}';
    }
    return { faq: JSON.stringify(faqValue(base)), selling_points: JSON.stringify(pointsValue(base)), faq_i18n: i18n };
  }

  async function syncKey(productKey: string): Promise<number> {
    const products = (await knex()(TABLES.products)
      .join(TABLES.shops, `${TABLES.shops}.shop`, `${TABLES.products}.shop`)
      .whereNull(`${TABLES.shops}.uninstalled_at`)
      .where((w) => w.where(`${TABLES.products}.product_id`, productKey).orWhere(`${TABLES.products}.handle`, productKey))
      .select(`${TABLES.products}.shop`, `${TABLES.products}.product_id`)) as Array<{ shop: string; product_id: string }>;
    if (products.length === 0) return 0;
    const values = await valuesOf(productKey);
    if (!values) return 0;
    let synced = 0;
    for (const { shop, product_id } of products) {
      const api = getService(strapi, 'api').get();
      const session = await getService(strapi, 'session-storage').loadSession(api.session.getOfflineId(shop));
      if (!session?.accessToken) {
        strapi.log.warn(`[shopify] no offline session for ${shop}: the FAQ metafields of product ${product_id} were not synced`);
        continue;
      }
      const client = new api.clients.Graphql({ session });
      const metafields = Object.entries(values).map(([key, value]) => ({ ownerId: `gid://shopify/Product/${product_id}`, namespace: 'moat', key, type: 'json', value }));
      const { data } = await client.request<{ metafieldsSet: { userErrors: Array<{ field: string[]; message: string }> } }>(METAFIELDS_SET, { variables: { metafields }, retries: 2 });
      const errors = data?.metafieldsSet.userErrors ?? [];
      if (errors.length) strapi.log.warn(`[shopify] metafieldsSet for ${shop} product ${product_id}: ${errors.map((e) => `${e.field?.join('.')}: ${e.message}`).join('; ')}`);
      else synced++;
    }
    return synced;
  }

  async function flush(): Promise<void> {
    const keys = [...pending];
    pending.clear();
    for (const key of keys) {
      try {
        await syncKey(key);
      } catch (error) {
        strapi.log.error(`[shopify] FAQ metafield sync of ${key} failed: ${(error as Error).message}`);
      }
    }
  }

  /** Queues a key; a burst of edits becomes one sync, one at a time. */
  function schedule(productKey: string): void {
    pending.add(productKey);
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(flush);
    }, DEBOUNCE_MS);
    timer.unref();
  }

  return {
    /** Syncs one product key now (all shops that have it); returns the products updated. */
    syncKey,

    schedule,

    /** Watches product-content's writes through the Document Service (admin, API, seeds alike). */
    watchContent(): void {
      strapi.documents.use(async (ctx, next) => {
        if (!CONTENT_UIDS.has(ctx.uid) || ['findOne', 'findMany', 'findFirst', 'count'].includes(ctx.action)) return next();
        const documentId = (ctx.params as { documentId?: string }).documentId;
        // read before: a deleted document's key is gone after
        const before = documentId ? ((await strapi.db.query(ctx.uid as never).findOne({ where: { documentId }, select: ['productKey'] })) as { productKey?: string } | null) : null;
        const result = await next();
        const after = (result as { productKey?: string } | null)?.productKey;
        for (const key of new Set([before?.productKey, after].filter((k): k is string => Boolean(k)))) schedule(key);
        return result;
      });
    },

    /** Waits for queued syncs (shutdown, tests). */
    async idle(): Promise<void> {
      await running;
    },
  };
};
