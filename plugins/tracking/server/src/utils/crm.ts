import type { Core } from '@strapi/strapi';
import { type CrmCustomers, type CrmInquiries, service } from '@moat/contracts';

/** The CRM's customers service, or undefined when the CRM plugin is not loaded. */
export const crmCustomers = (strapi: Core.Strapi): CrmCustomers | undefined => service(strapi, 'crm', 'customers');
/** The CRM's inquiries service, or undefined when the CRM plugin is not loaded. */
export const crmInquiries = (strapi: Core.Strapi): CrmInquiries | undefined => service(strapi, 'crm', 'inquiries');
