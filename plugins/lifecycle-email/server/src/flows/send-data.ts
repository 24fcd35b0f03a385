import type { FlowSettings } from './engine';
import type { Customer, FlowPorts } from './ports';
import type { EnrollmentContext } from './repository';

const LABELS: Record<string, { unsubscribe: string; preferences: string; viewInBrowser: string }> = {
  en: { unsubscribe: 'Unsubscribe', preferences: 'Email preferences', viewInBrowser: 'View in browser' },
  'zh-Hans': { unsubscribe: '退订', preferences: '邮件偏好', viewInBrowser: '在浏览器中查看' },
};

/** The template language for a customer's language tag (the seeded templates: en, zh-Hans). */
export const templateLocale = (language: unknown) => (typeof language === 'string' && /^zh/i.test(language) ? 'zh-Hans' : 'en');

/**
 * The data a flow's send renders with: the shop, the customer, the labels of the footer, what
 * the enrollment saw (the cart by product name, the viewed product) and the step's own data.
 */
export async function templateData(customer: Customer, context: EnrollmentContext, stepData: Record<string, unknown> | undefined, settings: FlowSettings, ports: FlowPorts) {
  const locale = templateLocale(customer.language);
  const name = typeof customer.name === 'string' ? customer.name.trim() : '';
  const events = [{ type: context.trigger.type, properties: context.trigger.properties ?? {} }, ...(context.events ?? [])];
  const data: Record<string, unknown> = {
    locale: locale === 'zh-Hans' ? 'zh-CN' : 'en-US',
    shop: { name: settings.shop.name, address: settings.shop.address },
    links: { shop: settings.shop.url },
    labels: LABELS[locale],
    customer: {
      firstName: name.split(/\s+/)[0] || null,
      name: name || null,
      email: customer.email,
      timeZone: customer.timeZone || settings.timeZone,
      orderCount: Number(customer.ordersCount ?? 0),
      firstOrderAt: customer.firstOrderAt ?? null,
    },
  };
  if (context.trigger.type === 'checkout_abandoned') {
    // the checkout's own lines (already by name) and Shopify's link back into that checkout
    const lines = Array.isArray(context.trigger.properties?.items) ? (context.trigger.properties.items as Array<{ name?: string; quantity?: number }>) : [];
    const items = lines.map((l) => ({ title: String(l.name ?? ''), quantity: Number(l.quantity ?? 1) }));
    const url = context.trigger.properties?.recovery_url;
    data.cart = { items, itemCount: items.reduce((n, i) => n + i.quantity, 0), url: typeof url === 'string' && /^https?:\/\//.test(url) ? url : settings.shop.url };
  } else if (events.some((e) => e.type.startsWith('cart_'))) {
    const items = await ports.cartItems(events);
    data.cart = { items, itemCount: items.reduce((n, i) => n + i.quantity, 0), url: settings.shop.url };
  }
  const viewed = [...events].reverse().find((e) => e.type === 'product_view')?.properties.product as Record<string, unknown> | undefined;
  if (viewed) data.product = { title: viewed.title ?? viewed.handle ?? '', url: viewed.url ?? settings.shop.url };
  const trigger = context.trigger.properties ?? {};
  if (context.trigger.type === 'order_placed' || context.trigger.type === 'order_fulfilled') Object.assign(data, orderData(trigger, context.since, settings));
  if (context.inquiryId) {
    const product = trigger.product as { title?: string; key?: string } | undefined;
    data.inquiry = { product: product?.title ?? product?.key ?? '', quantity: Number(trigger.quantity ?? 0), replyUrl: settings.shop.url };
    data.sales = { name: settings.shop.name };
  }
  return { data: { ...data, ...stepData }, locale };
}

/** An order touchpoint's properties (Shopify's shape) as the shipping and milestone templates read them. */
function orderData(p: Record<string, unknown>, at: number, settings: FlowSettings) {
  const items = Array.isArray(p.items) ? (p.items as Array<{ name?: string; quantity?: number }>) : [];
  const shipment = (p.shipment ?? {}) as Record<string, unknown>;
  return {
    order: {
      number: String(p.order_number ?? p.order_id ?? ''),
      total: Number(p.total ?? 0),
      currency: String(p.currency ?? 'USD'),
      itemCount: Number(p.item_count ?? items.length),
      items: items.map((i) => ({ title: i.name ?? '', quantity: Number(i.quantity ?? 1) })),
    },
    shipment: {
      carrier: String(shipment.carrier ?? ''),
      trackingNumber: String(shipment.tracking_number ?? ''),
      trackingUrl: String(shipment.tracking_url ?? settings.shop.url),
      shippedAt: new Date(at).toISOString(),
    },
  };
}
