/** Helpers for the CRM engagement tests: the CRM clock, runtime config, admins with ids and tokens. */
import type { Core } from '@strapi/strapi';
import { type AdminCredentials, adminJwt, createAdminWithRole, type BuiltInRole } from './admin';
import type { BootedStrapi } from './strapi';

export const CUSTOMER = 'plugin::crm.customer';
export const INQUIRY = 'plugin::crm.inquiry';
export const FOLLOW_UP = 'plugin::crm.follow-up';

export const crmClock = (strapi: Core.Strapi) =>
  strapi.plugin('crm').service('clock') as { now(): Date; set(at: Date | number | string | null): void; advance(ms: number): void };

/** Changes one section of the CRM's config at runtime (read at each use). */
export function setCrmConfig(strapi: Core.Strapi, section: string, value: Record<string, unknown>) {
  const current = (strapi.config.get('plugin::crm') ?? {}) as Record<string, unknown>;
  strapi.config.set('plugin::crm', { ...current, [section]: { ...(current[section] as object), ...value } });
}

export interface TestAdmin {
  id: number;
  documentId: string;
  credentials: AdminCredentials;
  jwt: string;
}

export async function testAdmin(app: BootedStrapi, role: BuiltInRole = 'strapi-super-admin'): Promise<TestAdmin> {
  const credentials = await createAdminWithRole(app.strapi, role);
  const user = await app.strapi.db.query('admin::user').findOne({ where: { email: credentials.email } });
  return { id: user.id, documentId: user.documentId, credentials, jwt: await adminJwt(app.request, credentials) };
}

export const DAY = 86_400_000;
