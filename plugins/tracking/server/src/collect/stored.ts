import type { Core } from '@strapi/strapi';
import { type StoredTouchpoint, TOUCHPOINTS_STORED } from '@moat/contracts';
import type { TouchpointRow } from '../store/rows';

const propsOf = (value: TouchpointRow['properties']): Record<string, unknown> =>
  typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : (value ?? {});

export function storedOf(rows: TouchpointRow[], customerOfVisitor: Map<string, string> = new Map()): StoredTouchpoint[] {
  return rows.map((row) => ({
    id: row.id == null ? null : Number(row.id),
    type: row.type,
    customerId: row.customer_id ?? (row.visitor_id ? (customerOfVisitor.get(row.visitor_id) ?? null) : null),
    visitorId: row.visitor_id,
    occurredAt: Number(row.occurred_at),
    properties: propsOf(row.properties),
    dedupeKey: row.dedupe_key,
    site: row.site,
    channel: row.channel,
    url: row.url,
  }));
}

/**
 * After touchpoints are durable: the catalog learns the products they show, then
 * `moat.touchpoints.stored` goes to every listener (CRM forms → inquiries, scoring). Deferred
 * with setImmediate: collect's 202 never waits for this work, and its failures only log.
 */
export function afterStored(strapi: Core.Strapi, touchpoints: StoredTouchpoint[]): void {
  if (touchpoints.length === 0) return;
  setImmediate(() => {
    void (async () => {
      try {
        await strapi.plugin('tracking').service('catalog').learnFrom(touchpoints);
      } catch (error) {
        strapi.log.warn(`[tracking] catalog: ${(error as Error).message}`);
      }
      try {
        await strapi.eventHub.emit(TOUCHPOINTS_STORED, { touchpoints });
      } catch (error) {
        strapi.log.warn(`[tracking] ${TOUCHPOINTS_STORED} listener failed: ${(error as Error).message}`);
      }
    })();
  });
}
