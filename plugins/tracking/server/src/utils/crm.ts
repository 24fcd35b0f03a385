import type { Core } from '@strapi/strapi';

/** The slice of the CRM's customers service tracking uses (ARCHITECTURE.md: plugins talk through services). */
export interface CrmCustomers {
  identify(
    traits: { email?: string; externalId?: string; name?: string; phone?: string; company?: string },
    context?: { seenAt?: Date; source?: string; verified?: boolean },
  ): Promise<{ documentId: string }>;
  findOne(documentId: string): Promise<{ name?: string | null; email?: string | null; externalId?: string | null } | null>;
}

/** The CRM's customers service, or undefined when the CRM plugin is not loaded. */
export const crmCustomers = (strapi: Core.Strapi): CrmCustomers | undefined =>
  strapi.plugin('crm')?.service('customers') as CrmCustomers | undefined;
