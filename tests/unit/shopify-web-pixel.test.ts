/**
 * The web pixel's behaviour with a stand-in for Shopify's register() API (analytics,
 * browser.localStorage, init, customerPrivacy) and a recording fetch.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPixel, type PixelApi } from '../../web-pixel/src/pixel';

type Handler = (event: Record<string, any>) => unknown;

function harness(options: { settings?: Record<string, string>; stored?: string | null; analyticsAllowed?: boolean; customer?: Record<string, unknown> } = {}) {
  const handlers = new Map<string, Handler>();
  const storage = new Map<string, string>(options.stored ? [['moat_vid', options.stored]] : []);
  let consentListener: Handler | undefined;
  const posts: Array<{ url: string; body: any }> = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    posts.push({ url, body: JSON.parse(String(init.body)) });
    return new Response('{}', { status: 202 });
  });
  const api: PixelApi = {
    analytics: { subscribe: (name, fn) => handlers.set(name, fn) },
    browser: {
      localStorage: {
        getItem: async (k) => storage.get(k) ?? null,
        setItem: async (k, v) => void storage.set(k, v),
      },
    },
    settings: { endpoint: 'https://moat.example.com/', siteKey: 'shop1', ...options.settings },
    init: {
      customerPrivacy: { analyticsProcessingAllowed: options.analyticsAllowed ?? true },
      data: { customer: options.customer ?? null },
      context: { navigator: { language: 'de-DE' } },
    },
    customerPrivacy: { subscribe: (_name, fn) => void (consentListener = fn) },
  };
  createPixel(api);
  return {
    handlers,
    storage,
    posts,
    fire: (name: string, event: Record<string, any>) => handlers.get(name)?.({ name, id: 'sh-1a2b', timestamp: '2026-12-02T10:00:00.000Z', ...event }),
    consent: (allowed: boolean) => consentListener?.({ customerPrivacy: { analyticsProcessingAllowed: allowed } }),
  };
}

const checkout = {
  token: 'tok123',
  currencyCode: 'EUR',
  totalPrice: { amount: 125.5, currencyCode: 'EUR' },
  order: { id: 'gid://shopify/Order/555' },
  lineItems: [{ quantity: 3, title: 'Steel bolt', variant: { id: '4001', sku: 'BOLT-R10', price: { amount: 12.5 }, product: { id: '7001', title: 'Steel bolt' } } }],
};

describe('Moat web pixel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("posts checkout_completed to collect with the tracker's visitor id and the signed-in customer", async () => {
    const h = harness({ stored: 'mk3abcdefgh12', customer: { id: 99, email: 'ada@example.com' } });
    await h.fire('checkout_completed', { data: { checkout }, context: { document: { location: { href: 'https://shop.example.com/checkouts/cn/x/thank-you' } } } });
    expect(h.posts).toHaveLength(1);
    const { url, body } = h.posts[0];
    expect(url).toBe('https://moat.example.com/moat/collect');
    expect(body).toMatchObject({ site: 'shop1', visitor: 'mk3abcdefgh12', ctx: { lang: 'de-DE' } });
    expect(body.events.map((e: any) => e.type)).toEqual(['identify', 'custom']);
    expect(body.events[0].props).toEqual({ customer_id: '99', email: 'ada@example.com' });
    expect(body.events[1]).toMatchObject({
      id: 'pxsh-1a2b',
      ts: Date.parse('2026-12-02T10:00:00.000Z'),
      url: 'https://shop.example.com/checkouts/cn/x/thank-you',
      props: { event: 'checkout_completed', order_id: 'gid://shopify/Order/555', currency: 'EUR', total: { amount: 125.5, currency: 'EUR' } },
    });
    expect(body.events[1].props.items[0]).toMatchObject({ quantity: 3, variant_id: '4001', sku: 'BOLT-R10', product: { id: '7001' } });
  });

  it('maps checkout_started to the tracker type, and mints and keeps a visitor id when the tracker has none', async () => {
    const h = harness();
    await h.fire('checkout_started', { data: { checkout } });
    await h.fire('checkout_started', { id: 'sh-2', data: { checkout } });
    const visitor = h.posts[0].body.visitor;
    expect(visitor).toMatch(/^[a-z0-9]{8,64}$/);
    expect(h.storage.get('moat_vid')).toBe(visitor);
    expect(h.posts[1].body.visitor).toBe(visitor);
    expect(h.posts[0].body.events[0]).toMatchObject({ type: 'checkout_started', props: { source: 'web_pixel' } });
  });

  it('sends nothing without analytics consent, and resumes when the visitor allows it', async () => {
    const h = harness({ analyticsAllowed: false });
    await h.fire('checkout_started', { data: { checkout } });
    expect(h.posts).toEqual([]);
    h.consent(true);
    await h.fire('checkout_completed', { data: { checkout } });
    expect(h.posts).toHaveLength(1);
    h.consent(false);
    await h.fire('checkout_completed', { data: { checkout } });
    expect(h.posts).toHaveLength(1);
  });

  it('subscribes to product and cart events only when asked (the tracker embed sends them otherwise)', async () => {
    expect([...harness().handlers.keys()]).not.toContain('product_added_to_cart');
    const h = harness({ settings: { storefrontEvents: 'yes' } });
    expect([...h.handlers.keys()]).toEqual(expect.arrayContaining(['checkout_started', 'checkout_completed', 'product_viewed', 'product_added_to_cart', 'product_removed_from_cart', 'cart_viewed']));
    await h.fire('product_added_to_cart', { data: { cartLine: { quantity: 2, merchandise: { id: '4002', sku: 'B', price: { amount: 14.9 }, product: { id: '7001', title: 'Bolt' } } } } });
    await h.fire('product_viewed', { id: 'sh-3', data: { productVariant: { id: '4001', product: { id: '7001', title: 'Bolt' } } } });
    expect(h.posts.map((p) => p.body.events[0].type)).toEqual(['cart_add', 'product_view']);
    expect(h.posts[0].body.events[0].props.items).toEqual([{ quantity: 2, variant_id: '4002', sku: 'B', price: 14.9, product: { id: '7001', title: 'Bolt' } }]);
  });

  it('does nothing when the endpoint or site key is not configured', () => {
    const h = harness({ settings: { endpoint: '' } });
    expect(h.handlers.size).toBe(0);
  });
});
