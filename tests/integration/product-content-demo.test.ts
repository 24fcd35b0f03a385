import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const FAQ = 'plugin::product-content.faq-item';

describe('demo content on first start', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_DEMO: 'true' } });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('enables the demo languages and seeds products with FAQs in several of them', async () => {
    const codes = ((await app.strapi.plugin('i18n').service('locales').find()) as Array<{ code: string }>).map((l) => l.code);
    expect(codes).toEqual(expect.arrayContaining(['en', 'zh-Hans', 'de', 'es', 'fr', 'ja']));
    const en = await app.request.get('/api/product-content/products/demo-led-panel-600').expect(200);
    expect(en.body.faqs.length).toBeGreaterThanOrEqual(3);
    expect(en.body.sellingPoints.length).toBeGreaterThanOrEqual(2);
    const zh = await app.request.get('/api/product-content/products/demo-led-panel-600?locale=zh-Hans').expect(200);
    expect(zh.body.faqs[0].question).toMatch(/最小起订量/);
    expect(zh.body.faqs.every((f: { fallback: boolean }) => !f.fallback)).toBe(true);
    const de = await app.request.get('/api/product-content/products/demo-led-panel-600?locale=de').expect(200);
    expect(de.body.faqs.filter((f: { fallback: boolean }) => f.fallback)).toHaveLength(1);
  });

  it('lists FAQ items by product key and position in the Content Manager, once', async () => {
    const cm = app.strapi.plugin('content-manager').service('content-types');
    const config = await cm.findConfiguration(app.strapi.contentType(FAQ));
    expect(config.settings).toMatchObject({ mainField: 'question', defaultSortBy: 'productKey' });
    expect(config.layouts.list).toEqual(['productKey', 'position', 'question', 'updatedAt']);
    // a team's own later choice survives restarts (applied once)
    expect(await app.strapi.plugin('product-content').service('admin-layout').apply()).toEqual([]);
  });

  it('is idempotent and never overwrites an edit, even when the seed marker is lost', async () => {
    const before = await app.strapi.db.query(FAQ).count();
    const [item] = (await app.strapi.documents(FAQ).findMany({ filters: { productKey: 'demo-ceramic-mug' }, locale: 'en', sort: 'position:asc' })) as any[];
    await app.strapi.documents(FAQ).update({ documentId: item.documentId, locale: 'en', data: { question: 'Edited by the content team?' } as any });

    const seed = app.strapi.plugin('product-content').service('demo-seed');
    expect(await seed.run()).toEqual({ seeded: false, products: [] });
    await app.strapi.store({ type: 'plugin', name: 'product-content' }).delete({ key: 'demo-seeded' });
    expect((await seed.run()).products).toEqual([]);

    expect(await app.strapi.db.query(FAQ).count()).toBe(before);
    const after = await app.strapi.documents(FAQ).findOne({ documentId: item.documentId, locale: 'en' });
    expect((after as any).question).toBe('Edited by the content team?');
  });
});
