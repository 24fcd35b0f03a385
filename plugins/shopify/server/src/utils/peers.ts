import type { CrmInquiries } from '@moat/contracts';
import type { Core } from '@strapi/strapi';

/**
 * The slices of other plugins' services this plugin calls (ARCHITECTURE.md: plugins talk
 * through services). Each is looked up when used, so a plugin that is not loaded is simply
 * absent instead of breaking the start.
 */
export interface TouchpointInput {
  type: string;
  channel: string;
  occurredAt: Date | number;
  site?: string | null;
  visitorId?: string | null;
  customerId?: string | null;
  url?: string | null;
  properties?: Record<string, unknown> | null;
  dedupeKey?: string | null;
}
export interface TrackingTouchpoints {
  record(input: TouchpointInput): Promise<boolean>;
  linkVisitor(visitorId: string, customerId: string, site?: string): Promise<unknown>;
}
export interface TrackingCollector {
  submitForwarded(
    json: unknown,
    meta: { site: string; userAgent?: string; ip?: string },
  ): Promise<{ status: 202; accepted: number } | { status: 400 | 403; message: string }>;
  rememberCustomer(visitorId: string, customerId: string): void;
}
export interface CrmCustomers {
  identify(
    traits: { email?: string; externalId?: string; name?: string; phone?: string; company?: string },
    context?: { seenAt?: Date; source?: string; verified?: boolean; onInvalid?: 'reject' | 'drop' },
  ): Promise<{ documentId: string }>;
}
/** plugin::lifecycle-email service `messages`: the message log every email goes through */
export interface EmailMessages {
  enqueue(input: {
    idempotencyKey: string;
    lane: 'transactional' | 'bulk';
    kind: 'transactional' | 'marketing';
    to: string;
    customerId?: string | null;
    templateKey: string;
    locale?: string | null;
    data?: Record<string, unknown>;
  }): Promise<{ id: number; created: boolean }>;
}
/** plugin::crm service `inquiries` (packages/contracts) */
export type { CrmInquiries, InquiryInput } from '@moat/contracts';
export interface ProductContent {
  forProduct(productKey: string, locale?: string): Promise<unknown>;
}

const service = <T>(strapi: Core.Strapi, plugin: string, name: string): T | undefined => {
  try {
    return strapi.plugin(plugin)?.service(name) as T | undefined;
  } catch {
    return undefined;
  }
};

export const peers = (strapi: Core.Strapi) => ({
  touchpoints: () => service<TrackingTouchpoints>(strapi, 'tracking', 'touchpoints'),
  collector: () => service<TrackingCollector>(strapi, 'tracking', 'collector'),
  customers: () => service<CrmCustomers>(strapi, 'crm', 'customers'),
  inquiries: () => {
    const found = service<Partial<CrmInquiries>>(strapi, 'crm', 'inquiries');
    return typeof found?.create === 'function' ? (found as CrmInquiries) : undefined;
  },
  messages: () => service<EmailMessages>(strapi, 'lifecycle-email', 'messages'),
  productContent: () => service<ProductContent>(strapi, 'product-content', 'product-content'),
});
