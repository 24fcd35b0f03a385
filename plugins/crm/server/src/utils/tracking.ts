import type { Core } from '@strapi/strapi';

/**
 * The tracking plugin's services the CRM's admin reads and writes through (the one timeline,
 * ARCHITECTURE.md). Narrow local shapes until @moat/contracts carries them (crm-core's part).
 */
export interface TimelineItem {
  id: number;
  type: string;
  channel: string;
  occurredAt: string;
  url: string | null;
  path: string | null;
  country: string | null;
  source: string | null;
  visitorId: string | null;
  properties: Record<string, unknown>;
}
interface TimelineService {
  list(customerId: string, query?: { limit?: number; cursor?: string | null }): Promise<{ items: TimelineItem[]; nextCursor: string | null }>;
}
interface TouchpointsService {
  record(input: {
    type: string;
    channel: string;
    occurredAt: Date | number;
    customerId?: string | null;
    properties?: Record<string, unknown> | null;
    dedupeKey?: string | null;
  }): Promise<boolean>;
}

export const timeline = (strapi: Core.Strapi) => strapi.plugin('tracking').service('timeline') as unknown as TimelineService;
export const touchpoints = (strapi: Core.Strapi) => strapi.plugin('tracking').service('touchpoints') as unknown as TouchpointsService;
