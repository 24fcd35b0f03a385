/**
 * Issue 15 §6: the FAQ block renders from product metafields "that the backend keeps in sync
 * when content is published". Publishing FAQ items or selling points in product-content sets
 * moat.faq, moat.selling_points and moat.faq_i18n on the matching Shopify product (by id or
 * handle) through the Admin GraphQL API — here a local stand-in that records what it got.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Session } from '@shopify/shopify-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET, shopifyProduct, webhookHeaders } from '../fixtures/shopify';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const FAQ = 'plugin::product-content.faq-item';
const POINT = 'plugin::product-content.selling-point';
let seq = 0;
const newShop = () => `moat-mf-${Date.now().toString(36)}-${seq++}.myshopify.com`;
let nextId = 9_100_000 + Math.floor(Math.random() * 100_000);

interface Call {
  shop: string;
  token: string | undefined;
  metafields: Array<{ ownerId: string; namespace: string; key: string; type: string; value: string }>;
}

describe('Shopify product metafields follow published FAQ content', () => {
  let app: BootedStrapi;
  let standIn: Server;
  const calls: Call[] = [];

  beforeAll(async () => {
    standIn = createServer(async (req: IncomingMessage, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const match = /^\/([^/]+)\/admin\/api\/[^/]+\/graphql\.json$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end();
        return;
      }
      const { variables } = JSON.parse(body);
      calls.push({ shop: match[1], token: req.headers['x-shopify-access-token'] as string | undefined, metafields: variables.metafields });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { metafieldsSet: { metafields: variables.metafields.map((m: { key: string }) => ({ key: m.key })), userErrors: [] } } }));
    }).listen(0, '127.0.0.1');
    await once(standIn, 'listening');
    const origin = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    app = await bootStrapi({ env: { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET, SHOPIFY_APP_URL: 'https://moat.example.com', MOAT_SHOPIFY_API_ORIGIN: origin } });
  });
  afterAll(async () => {
    await app?.destroy();
    standIn?.close();
  });

  /** an installed shop with an offline token, and a product in its catalog (products/create) */
  async function shopWithProduct(handle: string) {
    const shop = newShop();
    const token = `shpat_${shop.slice(0, 12)}${seq}`;
    await app.strapi.plugin('shopify').service('shops').install(shop, 'read_products,write_products');
    await app.strapi.plugin('shopify').service('session-storage').storeSession(new Session({ id: `offline_${shop}`, shop, state: 'x', isOnline: false, accessToken: token, scope: 'write_products' }));
    const id = nextId++;
    const payload = shopifyProduct(id, Date.now() - 60_000, { handle });
    const body = JSON.stringify(payload);
    const req = app.request.post('/api/shopify/webhooks');
    for (const [name, value] of Object.entries(webhookHeaders(shop, 'products/create', body))) req.set(name, value);
    expect((await req.send(body)).status).toBe(200);
    return { shop, token, id };
  }
  const callsFor = (shop: string) => calls.filter((c) => c.shop === shop);
  const value = (call: Call, key: string) => JSON.parse(call.metafields.find((m) => m.key === key)?.value ?? 'null');
  async function waitForCalls(shop: string, n: number) {
    await expect.poll(() => callsFor(shop).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(n);
    await app.strapi.plugin('shopify').service('metafields').idle();
    return callsFor(shop);
  }

  it('publishing a FAQ item and its Chinese translation sets the metafields of the product with that id', async () => {
    const { shop, token, id } = await shopWithProduct(`bolt-${seq}`);
    const docs = app.strapi.documents(FAQ as never) as any;
    const created = await docs.create({ locale: 'en', data: { productKey: String(id), question: 'What is the MOQ?', answer: 'The minimum order is **500** pieces.', position: 1 } });
    await docs.update({ documentId: created.documentId, locale: 'zh-Hans', data: { productKey: String(id), question: '最小起订量是多少？', answer: '**500** 件起订。' } });
    await docs.publish({ documentId: created.documentId, locale: '*' });
    await (app.strapi.documents(POINT as never) as any).create({ locale: 'en', status: 'published', data: { productKey: String(id), title: 'ISO 9001 factory', body: 'Audited yearly', position: 1 } });

    await expect
      .poll(() => callsFor(shop).some((c) => value(c, 'faq')?.length === 1 && value(c, 'selling_points')?.length === 1 && value(c, 'faq_i18n')?.['zh-CN']), { timeout: 20_000 })
      .toBe(true);
    const last = (await waitForCalls(shop, 1)).at(-1) as Call;
    expect(last.token).toBe(token);
    expect(last.metafields.map((m) => [m.ownerId, m.namespace, m.key, m.type])).toEqual([
      [`gid://shopify/Product/${id}`, 'moat', 'faq', 'json'],
      [`gid://shopify/Product/${id}`, 'moat', 'selling_points', 'json'],
      [`gid://shopify/Product/${id}`, 'moat', 'faq_i18n', 'json'],
    ]);
    expect(value(last, 'faq')).toEqual([{ question: 'What is the MOQ?', answer: 'The minimum order is **500** pieces.', answer_html: expect.stringContaining('<strong>500</strong>') }]);
    expect(value(last, 'selling_points')).toEqual([{ title: 'ISO 9001 factory', body: 'Audited yearly' }]);
    // only languages with a translation of their own; the theme falls back for the others
    expect(Object.keys(value(last, 'faq_i18n'))).toEqual(['zh-CN']);
    expect(value(last, 'faq_i18n')['zh-CN'].faq[0]).toMatchObject({ question: '最小起订量是多少？', answer_html: expect.stringContaining('<strong>500</strong> 件起订') });

    // unpublishing takes it off the storefront too
    const before = callsFor(shop).length;
    await docs.unpublish({ documentId: created.documentId, locale: '*' });
    await waitForCalls(shop, before + 1);
    expect(value(callsFor(shop).at(-1) as Call, 'faq')).toEqual([]);
  });

  it('matches a product by handle, in every shop that has it; content for no Shopify product calls nothing', async () => {
    const handle = `panel-${Date.now().toString(36)}`;
    const a = await shopWithProduct(handle);
    const b = await shopWithProduct(handle);
    const other = await shopWithProduct(`other-${handle}`);
    await (app.strapi.documents(FAQ as never) as any).create({ locale: 'en', status: 'published', data: { productKey: handle, question: 'IP rating?', answer: 'IP65.' } });
    for (const shop of [a, b]) {
      const [call] = await waitForCalls(shop.shop, 1);
      expect(call.metafields[0].ownerId).toBe(`gid://shopify/Product/${shop.id}`);
      expect(value(call, 'faq')[0].question).toBe('IP rating?');
    }
    await (app.strapi.documents(FAQ as never) as any).create({ locale: 'en', status: 'published', data: { productKey: `not-in-shopify-${handle}`, question: 'Q?', answer: 'A.' } });
    await new Promise((r) => setTimeout(r, 1_500));
    await app.strapi.plugin('shopify').service('metafields').idle();
    expect(callsFor(other.shop)).toHaveLength(0);
  });
});
