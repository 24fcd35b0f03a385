/** Helpers for tracking tests: build collect batches and read what the store holds. */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export const newId = (prefix = 'v') => `${prefix}${randomBytes(9).toString('base64url')}`;

export interface EventInit {
  type: string;
  url?: string;
  referrer?: string;
  title?: string;
  props?: Record<string, unknown>;
  ts?: number;
  id?: string;
}

export function batch(site: string, visitor: string, events: EventInit[], extra: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    site,
    visitor,
    sent: now,
    ctx: { tz: 'Europe/Berlin', lang: 'de-DE' },
    events: events.map((e, i) => ({ id: e.id ?? newId('e'), ts: e.ts ?? now - (events.length - i) * 10, ...e })),
    ...extra,
  };
}

export async function touchpointsOf(strapi: Core.Strapi, where: Record<string, unknown>) {
  const rows = await strapi.db.connection('moat_touchpoints').where(where).orderBy([{ column: 'occurred_at' }, { column: 'id' }]);
  return rows.map((r: Record<string, unknown>) => ({
    ...r,
    occurred_at: Number(r.occurred_at),
    properties: typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties,
  })) as Array<Record<string, any>>;
}

export async function visitorRow(strapi: Core.Strapi, visitorId: string) {
  return strapi.db.connection('moat_visitors').where({ visitor_id: visitorId }).first();
}

/** A full-access API token for the server-side API. */
export async function createApiToken(strapi: Core.Strapi): Promise<string> {
  const token = await strapi
    .service('admin::api-token')
    .create({ name: newId('token'), type: 'full-access', lifespan: null, description: 'test' });
  return token.accessKey as string;
}
