/**
 * Moat web pixel: Shopify's standard customer events to Moat's collect endpoint, with the
 * tracker's visitor id (localStorage "moat_vid", shared with the storefront), so checkout
 * events join the same visitor and customer as the tracker's. Nothing is sent unless the
 * visitor allows analytics (Shopify also checks [customer_privacy] before running the pixel).
 */
type Json = Record<string, any>;
/** The part of Shopify's register() API the pixel uses (see @shopify/web-pixels-extension). */
export interface PixelApi {
  analytics: { subscribe(name: string, fn: (event: Json) => unknown): unknown };
  browser: { localStorage: { getItem(key: string): Promise<string | null>; setItem(key: string, value: string): Promise<void> } };
  settings: Record<string, string | undefined>;
  init: Json;
  customerPrivacy?: { subscribe?(name: string, fn: (event: Json) => void): unknown };
}

const CHECKOUT = ['checkout_started', 'checkout_contact_info_submitted', 'checkout_shipping_info_submitted', 'payment_info_submitted', 'checkout_completed'];
const STOREFRONT = ['product_viewed', 'product_added_to_cart', 'product_removed_from_cart', 'cart_viewed'];
/** Shopify event names to Moat's browser event types; anything else is a custom event. */
const TYPES: Record<string, string> = { checkout_started: 'checkout_started', product_viewed: 'product_view', product_added_to_cart: 'cart_add', product_removed_from_cart: 'cart_remove', cart_viewed: 'cart_view' };

const rid = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
const money = (m?: Json) => (m && typeof m.amount === 'number' ? { amount: m.amount, currency: m.currencyCode } : undefined);
const variantOf = (v?: Json) =>
  v && { variant_id: v.id, sku: v.sku || undefined, price: v.price?.amount, product: v.product && { id: v.product.id, title: v.product.title } };
const lineOf = (l?: Json) => l && { quantity: l.quantity, title: l.title, ...variantOf(l.variant || l.merchandise) };

/** The event's properties as the timeline shows them. */
export function propsOf(event: Json): Json {
  const d = event.data || {};
  if (d.checkout) {
    const c = d.checkout;
    return {
      event: event.name,
      order_id: c.order?.id,
      token: c.token,
      total: money(c.totalPrice),
      currency: c.currencyCode,
      items: (c.lineItems || []).slice(0, 50).map(lineOf),
    };
  }
  if (d.cartLine) return { items: [lineOf(d.cartLine)] };
  if (d.productVariant) return { product: variantOf(d.productVariant) };
  if (d.cart) return { total: money(d.cart.cost?.totalAmount), lines: d.cart.totalQuantity };
  return {};
}

/** register() callback: subscribes to Shopify's events and posts them to collect. */
export function createPixel({ analytics, browser, settings, init, customerPrivacy }: PixelApi): void {
  const endpoint = `${String(settings.endpoint || '').replace(/\/$/, '')}/moat/collect`;
  const site = settings.siteKey;
  if (!settings.endpoint || !site) return;
  let allowed = !customerPrivacy || init.customerPrivacy?.analyticsProcessingAllowed !== false;
  customerPrivacy?.subscribe?.('visitorConsentCollected', (e: Json) => {
    allowed = !!e.customerPrivacy?.analyticsProcessingAllowed;
  });
  let visitor: string | undefined;
  const visitorId = async () => {
    if (visitor) return visitor;
    const stored = await browser.localStorage.getItem('moat_vid').catch(() => null);
    visitor = stored && /^[A-Za-z0-9_-]{8,64}$/.test(stored) ? stored : rid();
    if (!stored) await browser.localStorage.setItem('moat_vid', visitor).catch(() => undefined);
    return visitor;
  };
  let identified = false;
  const send = async (events: Json[]) => {
    if (!allowed) return;
    const customer = init.data?.customer;
    if (customer && !identified) {
      identified = true;
      events.unshift({ id: rid(), type: 'identify', ts: Date.now(), props: { customer_id: String(customer.id), email: customer.email || undefined } });
    }
    const body = JSON.stringify({ site, visitor: await visitorId(), sent: Date.now(), ctx: { lang: init.context?.navigator?.language }, events });
    await fetch(endpoint, { method: 'POST', body, keepalive: true, credentials: 'omit' }).catch(() => undefined);
  };
  const names = settings.storefrontEvents === 'yes' ? CHECKOUT.concat(STOREFRONT) : CHECKOUT;
  for (const name of names) {
    analytics.subscribe(name, (event: Json) => {
      const id = `px${String(event.id || rid())}`.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
      const ts = Date.parse(event.timestamp) || Date.now();
      const url = event.context?.document?.location?.href;
      const type = TYPES[name] || 'custom';
      return send([{ id, type, ts, url, props: type === 'custom' ? propsOf(event) : { ...propsOf(event), source: 'web_pixel' } }]);
    });
  }
}
