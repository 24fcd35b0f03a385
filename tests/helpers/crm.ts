/** Helpers for CRM tests: post to collect and the server-side API, poll, read customers. */
import type { Core } from '@strapi/strapi';
import type { BootedStrapi } from './strapi';
import { CHROME_UA } from './tracking';

/** Polls until `check` returns a value (not undefined) or time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const collect = (app: BootedStrapi, origin: string, body: unknown, ip = '81.2.69.142') =>
  app.request
    .post('/moat/collect')
    .set('User-Agent', CHROME_UA)
    .set('X-Forwarded-For', ip)
    .set('Content-Type', 'text/plain;charset=UTF-8')
    .set('Origin', origin)
    .send(JSON.stringify(body));

export const serverApi = (app: BootedStrapi, token: string, path: string, body: unknown) =>
  app.request.post(`/api/tracking/v1/${path}`).set('Content-Type', 'application/json').set('Authorization', `Bearer ${token}`).send(JSON.stringify(body));

/** Customer rows whose normalized email is `email` (merged-away rows have none). */
export async function customersWithEmail(strapi: Core.Strapi, email: string) {
  return strapi.db.connection('crm_customers').whereRaw('lower(trim(email)) = ?', [email.trim().toLowerCase()]);
}

export async function inquiriesOf(strapi: Core.Strapi, customerId: string) {
  return strapi.documents('plugin::crm.inquiry').findMany({ filters: { customer: { documentId: customerId } } as never, limit: 100 });
}
