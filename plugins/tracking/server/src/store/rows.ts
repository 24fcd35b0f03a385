import type { TouchpointInput, TouchpointType } from '@moat/contracts';

export type { TouchpointInput } from '@moat/contracts';

export interface Touchpoint extends Required<Omit<TouchpointInput, 'occurredAt' | 'properties'>> {
  id: number;
  occurredAt: string;
  receivedAt: string;
  properties: Record<string, unknown>;
}

export interface TouchpointRow {
  id?: number | string;
  occurred_at: number | string;
  received_at: number | string;
  type: string;
  channel: string;
  site: string | null;
  visitor_id: string | null;
  customer_id: string | null;
  session_id: string | null;
  source: string | null;
  source_channel: string | null;
  country: string | null;
  device: string | null;
  browser: string | null;
  os: string | null;
  url: string | null;
  path: string | null;
  properties: string | Record<string, unknown> | null;
  dedupe_key: string | null;
}

const clip = (value: string | null | undefined, max: number) => (value == null ? null : value.slice(0, max));

export function toRow(input: TouchpointInput, receivedAt: number): TouchpointRow {
  const occurred = input.occurredAt instanceof Date ? input.occurredAt.getTime() : input.occurredAt;
  return {
    occurred_at: occurred,
    received_at: receivedAt,
    type: input.type,
    channel: clip(input.channel, 32) as string,
    site: clip(input.site, 64),
    visitor_id: clip(input.visitorId, 64),
    customer_id: clip(input.customerId, 64),
    session_id: clip(input.sessionId, 64),
    source: clip(input.source, 128),
    source_channel: clip(input.sourceChannel, 24),
    country: clip(input.country, 2),
    device: clip(input.device, 16),
    browser: clip(input.browser, 32),
    os: clip(input.os, 32),
    url: clip(input.url, 2048),
    path: clip(input.path, 1024),
    // one JSON encoding for both dialects (PostgreSQL casts the text into jsonb)
    properties: input.properties ? JSON.stringify(input.properties) : null,
    dedupe_key: clip(input.dedupeKey, 200),
  };
}

export function fromRow(row: TouchpointRow): Touchpoint {
  const props = typeof row.properties === 'string' ? (JSON.parse(row.properties) as Record<string, unknown>) : (row.properties ?? {});
  return {
    id: Number(row.id),
    occurredAt: new Date(Number(row.occurred_at)).toISOString(),
    receivedAt: new Date(Number(row.received_at)).toISOString(),
    type: row.type as TouchpointType,
    channel: row.channel,
    site: row.site,
    visitorId: row.visitor_id,
    customerId: row.customer_id,
    sessionId: row.session_id,
    source: row.source,
    sourceChannel: row.source_channel,
    country: row.country,
    device: row.device,
    browser: row.browser,
    os: row.os,
    url: row.url,
    path: row.path,
    properties: props,
    dedupeKey: row.dedupe_key,
  };
}
