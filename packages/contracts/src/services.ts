import type { Catalog } from './catalog';
import type { CrmCustomers, CrmInquiries } from './crm';
import type { TouchpointInput } from './touchpoints';

/** plugin::tracking service `touchpoints` (the slice other plugins use) */
export interface Touchpoints {
  record(input: TouchpointInput): Promise<boolean>;
  recordMany(inputs: TouchpointInput[]): Promise<number>;
  linkVisitor(visitorId: string, customerId: string, site?: string | null): Promise<number>;
  customerOfVisitor(visitorId: string): Promise<string | null>;
  /** every touchpoint and visitor of `from` now belongs to `to` */
  reassignCustomer(from: string, to: string): Promise<{ touchpoints: number; visitors: number }>;
}

/** The cross-plugin services, by plugin and name. */
export interface MoatServices {
  crm: { customers: CrmCustomers; inquiries: CrmInquiries };
  tracking: { touchpoints: Touchpoints; catalog: Catalog };
}

/** What the helper needs of Strapi (structural: this package does not depend on Strapi). */
interface HasPlugins {
  plugin(name: string): { service(name: string): unknown } | undefined;
}

/**
 * Typed `strapi.plugin(p).service(s)`, or undefined when that plugin is not loaded:
 * `service(strapi, 'crm', 'customers')?.identify(...)`.
 */
export function service<P extends keyof MoatServices, S extends keyof MoatServices[P] & string>(
  strapi: HasPlugins,
  plugin: P,
  name: S,
): MoatServices[P][S] | undefined {
  return strapi.plugin(plugin)?.service(name) as MoatServices[P][S] | undefined;
}
