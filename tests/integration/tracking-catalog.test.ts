import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, eventually, serverApi } from '../helpers/crm';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { looksLikeCardNumber } from '../../plugins/tracking/server/src/contracts/sensitive';
import { batch, createApiToken, newId } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const SITE = 'catalog_shop';

describe('product catalog and the timeline by name', () => {
  let app: BootedStrapi;
  let token: string;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_SITES: `${SITE}=${SHOP}`, IS_PROXIED: 'true' } });
    token = await createApiToken(app.strapi);
  });
  afterAll(async () => {
    await app?.destroy();
  });
  const catalog = () => app.strapi.plugin('tracking').service('catalog');

  it('learns products from page product views and the server-side API; the timeline names cart lines with price', async () => {
    const email = `${newId('cat').toLowerCase()}@example.com`;
    // a variant id that passes the Luhn check, as one Shopify variant id in ten does: it must not be taken for a card number
    let n = Date.now();
    while (!looksLikeCardNumber(`${n}1`)) n++;
    const productId = String(n);
    // the server-side API (an ERP or the Shopify app) describes the product and its variants
    const described = await serverApi(app, token, 'track', {
      messageId: newId('m'),
      channel: 'erp',
      type: 'product_view',
      email,
      properties: {
        product: {
          id: productId,
          handle: 'industrial-widget',
          title: 'Industrial Widget',
          variants: [
            { id: `${productId}1`, title: 'Default Title', price: 649.5, currency: 'EUR' },
            { id: `${productId}2`, title: 'Steel', price_cents: 80000, currency: 'EUR' },
          ],
        },
      },
    });
    expect(described.status).toBe(200);
    const customerId = described.body.customerId;
    await eventually(async () => ((await catalog().byKeys(null, [productId])).size ? true : undefined), 'the product in the catalog');
    // a storefront visitor who is this customer adds two of the first variant (cart events carry variant ids only)
    const visitor = newId();
    await collect(
      app,
      SHOP,
      batch(SITE, visitor, [
        { type: 'identify', url: `${SHOP}/`, props: { email } },
        { type: 'cart_add', url: `${SHOP}/products/industrial-widget`, props: { items: [{ variant_id: Number(`${productId}1`), quantity: 2 }] } },
        { type: 'cart_add', url: `${SHOP}/products/industrial-widget`, props: { items: [{ variant_id: Number(`${productId}2`), quantity: 1 }] } },
      ]),
    );
    const res = await eventually(async () => {
      const page = await app.strapi.plugin('tracking').service('timeline').list(customerId, { types: ['cart_add'] });
      return page.items.length === 2 ? page : undefined;
    }, 'the cart events on the timeline');
    const summaries = res.items.map((i: { summary?: string }) => i.summary).sort();
    expect(summaries).toEqual(['Industrial Widget (Steel) × 1, €800.00', 'Industrial Widget × 2, €1,299.00']);

    const variants = await catalog().byVariantIds(SITE, [`${productId}1`]);
    expect(variants.get(`${productId}1`)).toMatchObject({ product: { key: productId, title: 'Industrial Widget', handle: 'industrial-widget' }, variant: { price: 649.5, currency: 'EUR' } });
  });

  it('a product page view (Shopify meta or og: tags, else the URL handle) adds to what is known without blanking it', async () => {
    const visitor = newId();
    const key = `p${Date.now()}`;
    await collect(
      app,
      SHOP,
      batch(SITE, visitor, [{ type: 'product_view', url: `${SHOP}/fr/products/tray-${key}?variant=1`, props: { product: { title: 'Plateau', price: '12.50', currency: 'EUR' } } }]),
    );
    const handle = `tray-${key}`;
    const byHandle = await eventually(async () => (await catalog().byKeys(SITE, [handle])).get(handle), 'the product keyed by its handle');
    expect(byHandle).toMatchObject({ key: handle, handle, title: 'Plateau', url: `${SHOP}/fr/products/tray-${key}?variant=1` });
    await catalog().upsert([{ site: SITE, key: handle, image: 'https://cdn.example.com/tray.jpg', variants: [{ id: `v-${key}`, price: 12.5, currency: 'EUR' }] }]);
    const after = (await catalog().byKeys(SITE, [handle])).get(handle);
    expect(after).toMatchObject({ title: 'Plateau', image: 'https://cdn.example.com/tray.jpg', variants: [{ id: `v-${key}`, price: 12.5 }] });
  });
});
