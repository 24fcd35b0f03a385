import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPixel } from '../../web-pixel/src/pixel';
import { APP_KEY, APP_SECRET, signProxyQuery } from '../fixtures/shopify';
import { createLocalizedDocument, uniqueKey } from '../helpers/content';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const suffix = Date.now().toString(36);
const SHOP = `moat-proxy-${suffix}.myshopify.com`;
const SITE = `shopsite_${suffix}`;
const INQUIRY_LIMIT = 5;

const form = (overrides: Record<string, string> = {}) =>
  new URLSearchParams({
    product_id: '7001',
    product_handle: 'steel-bolt',
    product_title: 'Steel bolt',
    variant_id: '4002',
    quantity: '5000',
    unit: 'pieces',
    target_price: '0.31',
    currency: 'USD',
    incoterm: 'FOB',
    name: 'Ada Buyer',
    email: 'ada.buyer@example.com',
    company: 'Buyer GmbH',
    message: 'Please quote 5,000 pcs FOB Ningbo.',
    locale: 'de',
    visitor_id: 'mk3visitor0001',
    website: '',
    ...overrides,
  }).toString();

describe('Shopify app proxy', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi({
      env: {
        SHOPIFY_API_KEY: APP_KEY,
        SHOPIFY_API_SECRET: APP_SECRET,
        SHOPIFY_APP_URL: 'https://moat.example.com',
        MOAT_SITES: `${SITE}=https://shop.example.com`,
        MOAT_SHOPIFY_SITES: `${SHOP}=${SITE}`,
        MOAT_SHOPIFY_INQUIRY_LIMIT: String(INQUIRY_LIMIT),
      },
    });
    await app.strapi.plugin('shopify').service('shops').install(SHOP, 'read_products');
  });
  afterAll(async () => {
    await app?.destroy();
  });

  let client = 1;
  /** a POST from its own client address (the inquiry limit counts per address) */
  const post = (path: string) => app.request.post(path).set('X-Forwarded-For', `198.51.100.${client++}`);
  const url = (path: string, params: Record<string, string> = {}) => `/api/shopify/proxy/${path}?${signProxyQuery({ shop: SHOP, ...params })}`;

  it('accepts a valid signature; refuses tampered, older than 90 s, missing signatures and unknown shops with 401', async () => {
    const ok = await app.request.get(url('faq/steel-bolt'));
    expect(ok.status).toBe(200);
    const tampered = signProxyQuery({ shop: SHOP });
    tampered.set('logged_in_customer_id', '12345');
    const stale = signProxyQuery({ shop: SHOP, timestamp: String(Math.floor(Date.now() / 1000) - 91) });
    const unsigned = new URLSearchParams({ shop: SHOP, timestamp: String(Math.floor(Date.now() / 1000)) });
    const unknown = signProxyQuery({ shop: `nobody-${suffix}.myshopify.com` });
    const wrongSecret = signProxyQuery({ shop: SHOP }, 'shpss_not_the_app_secret_at_all_0000');
    const results: Record<string, unknown> = {};
    for (const [name, query] of Object.entries({ tampered, stale, unsigned, unknown, wrongSecret })) {
      const res = await app.request.get(`/api/shopify/proxy/faq/steel-bolt?${query}`);
      results[name] = [res.status, res.body.error?.message];
    }
    expect(results).toEqual({
      tampered: [401, 'the app proxy signature does not match'],
      stale: [401, 'the app proxy signature is older than 90 s'],
      unsigned: [401, 'the app proxy signature is missing'],
      unknown: [401, `shop nobody-${suffix}.myshopify.com has not installed the app`],
      wrongSecret: [401, 'the app proxy signature does not match'],
    });
    // a POST is checked the same way before its body is looked at
    expect((await post(`/api/shopify/proxy/inquiry?${stale}`).type('form').send(form())).status).toBe(401);
  });

  it('reads the product FAQ from product-content', async () => {
    const handle = uniqueKey('bolt');
    await createLocalizedDocument(app.strapi, 'plugin::product-content.faq-item', { en: { productKey: handle, question: 'What is the MOQ?', answer: '500 pieces.', position: 1 } });
    const res = await app.request.get(url(`faq/${handle}`));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ product: handle, faqs: [{ question: 'What is the MOQ?', answer: '500 pieces.' }] });
    expect(res.body.data.jsonLd).toMatchObject({ '@type': 'FAQPage' });
    expect((await app.request.get(url('faq/bad%20handle'))).status).toBe(400);
  });

  it('answers an inquiry 503 with a clear message when the CRM is not loaded (JSON for fetch, Liquid without JS)', async () => {
    const services = app.strapi.get('services');
    const real = services.get('plugin::crm.inquiries');
    services.set('plugin::crm.inquiries', undefined);
    try {
      const json = await post(url('inquiry')).set('Accept', 'application/json').type('form').send(form());
      expect(json.status).toBe(503);
      expect(json.body.error.message).toMatch(/CRM plugin is not loaded.*nothing was stored/);
      const page = await post(url('inquiry')).set('Accept', 'text/html').type('form').send(form());
      expect(page.status).toBe(503);
      expect(page.headers['content-type']).toMatch(/^application\/liquid/);
      expect(page.text).toContain('nothing was stored');
    } finally {
      services.set('plugin::crm.inquiries', real);
    }
  });

  it('validates the form (400 naming the field), and a filled honeypot gets "thank you" without a CRM call', async () => {
    const bad = await post(url('inquiry')).set('Accept', 'application/json').type('form').send(form({ email: 'not-an-email' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^email:/);
    const qty = await post(url('inquiry')).set('Accept', 'application/json').type('form').send(form({ quantity: '-3' }));
    expect(qty.body.error.message).toMatch(/^quantity:/);
    const incoterm = await post(url('inquiry')).set('Accept', 'application/json').type('form').send(form({ incoterm: 'FREE' }));
    expect(incoterm.body.error.message).toMatch(/^incoterm:/);
    const bot = await post(url('inquiry')).set('Accept', 'application/json').type('form').send(form({ website: 'http://spam.example' }));
    expect(bot.status).toBe(200);
    expect(bot.body.data.status).toBe('received');
  });

  it('an RFQ through the signed proxy creates a CRM inquiry with its product, for the buyer of the form', async () => {
    const email = `rfq-${suffix}@buyer.example`;
    const visitor = `rfqvisitor${suffix}`;
    const res = await post(url('inquiry')).set('Accept', 'application/json').type('form').send(form({ email, visitor_id: visitor }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.data).toMatchObject({ message: 'thank you', status: 'received' });
    const inquiry = (await app.strapi.documents('plugin::crm.inquiry').findOne({ documentId: res.body.data.inquiry, populate: ['customer'] as never })) as any;
    expect(inquiry).toMatchObject({
      productKey: '7001',
      productTitle: 'Steel bolt',
      variant: '4002',
      unit: 'pieces',
      currency: 'USD',
      incoterm: 'FOB',
      message: 'Please quote 5,000 pcs FOB Ningbo.',
      language: 'de',
      channel: 'form',
      status: 'new',
    });
    expect([Number(inquiry.quantity), Number(inquiry.targetPrice)]).toEqual([5000, 0.31]);
    expect(inquiry.customer).toMatchObject({ email, name: 'Ada Buyer', company: 'Buyer GmbH' });
    // the storefront visitor is this customer's now
    const touchpoints = app.strapi.plugin('tracking').service('touchpoints') as { customerOfVisitor(v: string): Promise<string | null> };
    expect(await touchpoints.customerOfVisitor(visitor)).toBe(inquiry.customer.documentId);
  });

  it('a signed-in buyer\'s RFQ lands on their Shopify customer (logged_in_customer_id)', async () => {
    const res = await post(url('inquiry', { logged_in_customer_id: '6001' }))
      .set('Accept', 'application/json')
      .type('form')
      .send(form({ email: `signed-${suffix}@buyer.example`, product_id: '', product_handle: 'steel-nut' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const inquiry = (await app.strapi.documents('plugin::crm.inquiry').findOne({ documentId: res.body.data.inquiry, populate: ['customer'] as never })) as any;
    expect(inquiry.productKey).toBe('steel-nut');
    expect(inquiry.customer.externalId).toMatch(/6001$/);
  });

  it(`limits inquiries to ${INQUIRY_LIMIT} per window and client (429 with Retry-After)`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= INQUIRY_LIMIT; i++) {
      const res = await post(url('inquiry')).set('Accept', 'application/json').set('X-Forwarded-For', '203.0.113.77').type('form').send(form({ email: 'x' }));
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(INQUIRY_LIMIT).fill(400), 429]);
  });

  it('forwards a tracker batch to collect as the shop\'s site, and joins the visitor to the signed-in buyer', async () => {
    const visitor = `mk3${suffix}vis`;
    const batch = { site: SITE, visitor, sent: Date.now(), events: [{ id: `ev${suffix}01`, type: 'custom', ts: Date.now(), url: 'https://shop.example.com/products/steel-bolt', props: { event: 'chat_click', channel: 'whatsapp' } }] };
    const res = await app.request.post(url('collect', { logged_in_customer_id: '6002' })).set('Content-Type', 'text/plain').set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36').send(JSON.stringify(batch));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, customer: 'identified' });
    const rows = await app.strapi.db.connection('moat_touchpoints').where({ visitor_id: visitor });
    expect(rows).toHaveLength(1);
    const crm = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { externalId: `shopify:${SHOP}:6002` } });
    expect(crm).toBeTruthy();
    const other = await app.request.post(url('collect')).set('Content-Type', 'text/plain').send(JSON.stringify({ ...batch, site: 'someone_else' }));
    expect(other.status).toBe(403);
    const broken = await app.request.post(url('collect')).set('Content-Type', 'text/plain').send('{"site":');
    expect(broken.status).toBe(400);
  });

  it("the web pixel's checkout events are accepted by collect and join the tracker's visitor and customer", async () => {
    const visitor = `mk3${suffix}px`;
    const handlers = new Map<string, (event: Record<string, unknown>) => unknown>();
    const statuses: number[] = [];
    // the pixel's fetch, sent from the storefront's origin to this Moat
    vi.stubGlobal('fetch', async (endpoint: string, init: RequestInit) => {
      const res = await app.request.post(new URL(endpoint).pathname).set('Origin', 'https://shop.example.com').set('Content-Type', 'text/plain').set('User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36').send(String(init.body));
      statuses.push(res.status);
      return new Response(null, { status: res.status });
    });
    try {
      createPixel({
        analytics: { subscribe: (name, fn) => handlers.set(name, fn) },
        browser: { localStorage: { getItem: async () => visitor, setItem: async () => undefined } },
        settings: { endpoint: 'https://moat.example.com', siteKey: SITE },
        init: { customerPrivacy: { analyticsProcessingAllowed: true }, data: { customer: { id: 6003, email: 'pixel.buyer@example.com' } } },
      });
      const checkout = { token: 't1', currencyCode: 'EUR', totalPrice: { amount: 908, currencyCode: 'EUR' }, order: { id: 'gid://shopify/Order/99' }, lineItems: [{ quantity: 2000, title: 'Hex bolt', variant: { id: '90011', sku: 'HB-M10-20', price: { amount: 0.35 }, product: { id: '9001', title: 'Hex bolt' } } }] };
      await handlers.get('checkout_started')?.({ id: `sh-${suffix}-1`, name: 'checkout_started', timestamp: new Date().toISOString(), data: { checkout } });
      await handlers.get('checkout_completed')?.({ id: `sh-${suffix}-2`, name: 'checkout_completed', timestamp: new Date().toISOString(), data: { checkout } });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(statuses).toEqual([202, 202]);
    const rows = await app.strapi.db.connection('moat_touchpoints').where({ visitor_id: visitor }).orderBy('id');
    expect(rows.map((r) => r.type).sort()).toEqual(['checkout_started', 'custom', 'identify']);
    const row = rows.find((r) => r.type === 'custom');
    const completed = typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties;
    expect(completed).toMatchObject({ event: 'checkout_completed', order_id: 'gid://shopify/Order/99', total: { amount: 908, currency: 'EUR' } });
    const customer = await app.strapi.documents('plugin::crm.customer').findFirst({ filters: { email: 'pixel.buyer@example.com' } });
    expect(customer).toBeTruthy();
    expect(row.customer_id).toBe(customer?.documentId);
  });
});
