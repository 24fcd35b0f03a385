import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { FAQ_UID, PLUGIN_ID, SELLING_POINT_UID } from '../utils/constants';

export interface CachedResponse {
  json: string;
  etag: string;
  expires: number;
}

const READ_ACTIONS = new Set(['findOne', 'findMany', 'findFirst', 'count']);
const WATCHED = new Set<string>([FAQ_UID, SELLING_POINT_UID]);
/** bounds memory when a crawler walks many product keys */
const MAX_ENTRIES = 5000;

/**
 * Storefront reads vastly outnumber edits, and building a payload costs several queries and
 * Markdown rendering. Payloads are cached per (product, locale) for a short TTL and dropped
 * on any write to FAQ items or selling points in this instance; other instances behind a
 * load balancer converge within the TTL.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const entries = new Map<string, CachedResponse>();
  const ttlMs = () => strapi.plugin(PLUGIN_ID).config('cacheTtlMs') as number;

  return {
    /** Wires invalidation to the Document Service (also catches admin and API writes). */
    watchWrites(): void {
      strapi.documents.use(async (ctx, next) => {
        const result = await next();
        if (WATCHED.has(ctx.uid) && !READ_ACTIONS.has(ctx.action)) entries.clear();
        return result;
      });
    },

    async get(key: string, build: () => Promise<unknown>): Promise<CachedResponse> {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.expires > now) return hit;
      const json = JSON.stringify(await build());
      const entry = { json, etag: `"${createHash('sha1').update(json).digest('base64url')}"`, expires: now + ttlMs() };
      if (ttlMs() > 0) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
        entries.set(key, entry);
      }
      return entry;
    },

    clear(): void {
      entries.clear();
    },
  };
};
