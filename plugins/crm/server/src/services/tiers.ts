/**
 * Tiers (docs/scoring.md): big B, small B or consumer, from signals the CRM already holds —
 * the email's domain (a company's or a free mailbox), the largest quantity asked in an
 * inquiry, the total spent and the number of orders. Pure rules, then one service read.
 */
import type { Core } from '@strapi/strapi';
import { type EngageConfig, engageConfig } from '../engage/config';
import { CUSTOMER_UID, INQUIRY_UID } from '../utils/constants';

export type Tier = 'big_b' | 'small_b' | 'consumer';

export interface TierSignals {
  email?: string | null;
  /** the company record's domain, when the customer belongs to one */
  companyDomain?: string | null;
  maxQuantity?: number | null;
  totalSpent?: number | null;
  ordersCount?: number | null;
}

export function tierOf(signals: TierSignals, config: EngageConfig['tiers']): { tier: Tier; reasons: string[] } {
  const reasons: string[] = [];
  const qty = Number(signals.maxQuantity ?? 0);
  const spent = Number(signals.totalSpent ?? 0);
  const orders = Number(signals.ordersCount ?? 0);
  if (qty >= config.bigBQuantity) reasons.push(`quantity ${qty} ≥ ${config.bigBQuantity}`);
  if (spent >= config.bigBOrderValue) reasons.push(`spent ${spent} ≥ ${config.bigBOrderValue}`);
  if (reasons.length) return { tier: 'big_b', reasons };
  const domain = (signals.companyDomain || signals.email?.split('@')[1] || '').trim().toLowerCase();
  if (domain && !config.freeMailDomains.includes(domain)) reasons.push(`business domain ${domain}`);
  if (qty >= config.smallBQuantity) reasons.push(`quantity ${qty} ≥ ${config.smallBQuantity}`);
  if (spent >= config.smallBOrderValue) reasons.push(`spent ${spent} ≥ ${config.smallBOrderValue}`);
  if (orders >= config.repeatOrders) reasons.push(`${orders} orders ≥ ${config.repeatOrders}`);
  if (reasons.length) return { tier: 'small_b', reasons };
  return { tier: 'consumer', reasons: [domain ? `free mailbox ${domain}` : 'no business signal'] };
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The signals of one customer, read from the CRM. */
  async signals(customerId: string): Promise<TierSignals | null> {
    const customer = (await strapi.db.query(CUSTOMER_UID).findOne({
      where: { documentId: customerId },
      select: ['email', 'totalSpent', 'ordersCount'],
      populate: { organization: { select: ['domain'] } },
    })) as Record<string, any> | null;
    if (!customer) return null;
    const inquiries = (await strapi.db.query(INQUIRY_UID).findMany({ where: { customer: { documentId: customerId } }, select: ['quantity'] })) as Array<{
      quantity: number | string | null;
    }>;
    return {
      email: customer.email,
      companyDomain: customer.organization?.domain ?? null,
      maxQuantity: inquiries.reduce((max, i) => Math.max(max, Number(i.quantity ?? 0)), 0),
      totalSpent: Number(customer.totalSpent ?? 0),
      ordersCount: Number(customer.ordersCount ?? 0),
    };
  },
  async compute(customerId: string) {
    const signals = await this.signals(customerId);
    return signals ? tierOf(signals, engageConfig(strapi).tiers) : null;
  },
});
