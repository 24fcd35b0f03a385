/** What a channel knows about a person when they identify (form, login, Shopify, an ERP). */
export interface CustomerTraits {
  email?: string;
  /** the storefront's or another system's customer id */
  externalId?: string;
  name?: string;
  phone?: string;
  company?: string;
  /** ISO 3166-1 alpha-2 */
  country?: string;
}

export interface IdentifyContext {
  seenAt?: Date;
  source?: string;
  /** false for what the open storefront endpoint claims; default true */
  verified?: boolean;
  /** 'reject' (default): invalid email/phone/country throw a 400 ValidationError; 'drop': ignored */
  onInvalid?: 'reject' | 'drop';
}

export interface IdentifyResult {
  documentId: string;
  created: boolean;
}

export interface CustomerSummary {
  documentId: string;
  email?: string | null;
  name?: string | null;
  externalId?: string | null;
  phone?: string | null;
  company?: string | null;
  country?: string | null;
  mergedInto?: string | null;
}

export interface MergeResult {
  survivorId: string;
  loserId: string;
  moved: { touchpoints: number; inquiries: number; followUps: number; visitors: number };
  /** survivor fields filled from the loser */
  filled: string[];
}

/** plugin::crm service `customers` */
export interface CrmCustomers {
  identify(traits: CustomerTraits, context?: IdentifyContext): Promise<IdentifyResult>;
  findOne(documentId: string): Promise<CustomerSummary | null>;
  findByEmail(email: string): Promise<CustomerSummary | null>;
  /** Moves everything of the loser to the survivor; the loser keeps `mergedInto`. */
  merge(survivorId: string, loserId: string, byAdminId?: number | string | null): Promise<MergeResult>;
}

export const INQUIRY_CHANNELS = ['form', 'chat', 'email', 'whatsapp', 'phone', 'other'] as const;
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number];
export const INQUIRY_STATUSES = ['new', 'contacted', 'quoted', 'negotiating', 'won', 'lost'] as const;
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number];

export interface InquiryInput {
  customerId: string;
  product?: { key: string; title?: string; variant?: string };
  quantity?: number;
  unit?: string;
  targetPrice?: number;
  currency?: string;
  incoterm?: string;
  message?: string;
  language?: string;
  channel: InquiryChannel;
  sourceTouchpointId?: string;
  /** the same key twice creates one inquiry */
  dedupeKey?: string;
  /** when it was asked (default now) */
  at?: Date | number;
}

/** plugin::crm service `inquiries` */
export interface CrmInquiries {
  create(input: InquiryInput): Promise<{ documentId: string; created: boolean }>;
  setStatus(
    documentId: string,
    to: InquiryStatus,
    extra?: { lostReason?: string; value?: number; currency?: string; at?: Date | number },
  ): Promise<{ from: InquiryStatus | null; to: InquiryStatus }>;
}

/** plugin::crm service `orders`: a customer's order totals, recomputed from their order touchpoints */
export interface CrmOrders {
  /** Recomputes ordersCount, totalSpent, firstOrderAt, lastOrderAt and currency; returns the customers updated. */
  refresh(customerIds: string[]): Promise<number>;
}
