import type { Core } from '@strapi/strapi';
import { DEMO_LOCALES, DEMO_PRODUCTS } from '../demo/data';
import { FAQ_UID, PLUGIN_ID, SELLING_POINT_UID } from '../utils/constants';

const SEEDED_KEY = 'demo-seeded';

/**
 * Seeds demo locales and content once. Idempotent: a marker in the plugin store stops a
 * second run, and a product that already has any item (any locale, any state) is skipped,
 * so an edit or a deletion by the content team is never overwritten.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async run(): Promise<{ seeded: boolean; products: string[] }> {
    const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
    if (await store.get({ key: SEEDED_KEY })) return { seeded: false, products: [] };

    await this.ensureLocales();
    const products: string[] = [];
    for (const product of DEMO_PRODUCTS) {
      const existing = await strapi.db.query(FAQ_UID).count({ where: { productKey: product.key } });
      const existingSp = await strapi.db.query(SELLING_POINT_UID).count({ where: { productKey: product.key } });
      if (existing + existingSp > 0) continue;
      await product.faqs.reduce(async (prev, faq, position) => {
        await prev;
        await this.createLocalized(FAQ_UID, { productKey: product.key, position }, faq);
      }, Promise.resolve());
      await product.sellingPoints.reduce(async (prev, sp, position) => {
        await prev;
        await this.createLocalized(SELLING_POINT_UID, { productKey: product.key, position, icon: sp.icon }, sp.text);
      }, Promise.resolve());
      products.push(product.key);
    }
    await store.set({ key: SEEDED_KEY, value: { at: new Date().toISOString(), products } });
    strapi.log.info(`[product-content] demo content seeded for ${products.length} product(s)`);
    return { seeded: true, products };
  },

  async ensureLocales(): Promise<void> {
    const locales = strapi.plugin('i18n').service('locales');
    const existing = new Set(((await locales.find()) as Array<{ code: string }>).map((l) => l.code));
    for (const locale of DEMO_LOCALES) {
      if (!existing.has(locale.code)) await locales.create(locale);
    }
  },

  /** Creates the default-locale document, adds each translation, and publishes all of them. */
  async createLocalized(
    uid: typeof FAQ_UID | typeof SELLING_POINT_UID,
    shared: Record<string, unknown>,
    translations: Record<string, Record<string, unknown> | undefined>,
  ): Promise<void> {
    const defaultLocale = (await strapi.plugin('i18n').service('locales').getDefaultLocale()) as string;
    const base = translations[defaultLocale] ?? translations.en;
    const docs = strapi.documents(uid);
    const created = await docs.create({ locale: defaultLocale, data: { ...shared, ...base } as any });
    for (const [locale, data] of Object.entries(translations)) {
      if (!data || locale === defaultLocale) continue;
      await docs.update({ documentId: created.documentId, locale, data: { ...shared, ...data } as any });
    }
    await docs.publish({ documentId: created.documentId, locale: '*' });
  },
});
