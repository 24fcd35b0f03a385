/**
 * Scores (docs/scoring.md): each touchpoint is worth its type's weight, halved every
 * `halfLifeDays`; a category's points are rounded to whole points and the score is their sum,
 * so the stored explanation adds up to the score exactly. Grades cut the score at A/B/C.
 *
 * Scores follow touchpoints off the request path: collect emits `moat.touchpoints.stored`
 * after its durable write; this service queues the customers named there and recomputes each
 * once per `debounceMs`, never inside the 202.
 */
import { TOUCHPOINTS_STORED, type TouchpointsStoredEvent } from '@moat/contracts';
import type { Core } from '@strapi/strapi';
import { DEFAULT_WEIGHTS, type EngageConfig, engageConfig } from '../engage/config';
import { DAY_MS } from '../engage/time';
import { CUSTOMER_UID } from '../utils/constants';
import { touchpoints } from '../utils/tracking';
import type { Clock } from './clock';

export interface ScoredTouchpoint {
  type: string;
  path?: string | null;
  occurredAt: number;
}
export interface ScoreItem {
  type: string;
  count: number;
  points: number;
}
export interface ScoreResult {
  score: number;
  grade: 'A' | 'B' | 'C' | 'D';
  items: ScoreItem[];
}

const CART = new Set(['cart_add', 'cart_update', 'cart_view']);

/** the scoring category of a touchpoint, or null when it is not worth anything */
export function categoryOf(tp: ScoredTouchpoint, config: EngageConfig['scoring'], weights: Record<string, number>): string | null {
  if (tp.type === 'page_view') {
    const segments = (tp.path ?? '').toLowerCase().split('/');
    return segments.some((s) => s && config.pricingPaths.some((word) => s.includes(word))) ? 'pricing_view' : 'page_view';
  }
  if (CART.has(tp.type)) return 'cart';
  return tp.type in weights ? tp.type : null;
}

export function gradeOf(score: number, grades: EngageConfig['scoring']['grades']): ScoreResult['grade'] {
  return score >= grades.A ? 'A' : score >= grades.B ? 'B' : score >= grades.C ? 'C' : 'D';
}

export function scoreOf(touchpoints: ScoredTouchpoint[], now: number, config: EngageConfig['scoring']): ScoreResult {
  const weights = { ...DEFAULT_WEIGHTS, ...config.weights };
  const halfLife = config.halfLifeDays * DAY_MS;
  const sums = new Map<string, { count: number; raw: number }>();
  for (const tp of touchpoints) {
    const category = categoryOf(tp, config, weights);
    const weight = category ? (weights[category] ?? 0) : 0;
    if (!category || weight <= 0) continue;
    const age = Math.max(0, now - tp.occurredAt);
    const entry = sums.get(category) ?? { count: 0, raw: 0 };
    entry.count += 1;
    entry.raw += weight * 2 ** (-age / halfLife);
    sums.set(category, entry);
  }
  const items = [...sums.entries()]
    .map(([type, { count, raw }]) => ({ type, count, points: Math.round(raw) }))
    .sort((a, b) => b.points - a.points || a.type.localeCompare(b.type));
  const score = items.reduce((sum, item) => sum + item.points, 0);
  return { score, grade: gradeOf(score, config.grades), items };
}

/** the part of a stored touchpoint (packages/contracts) scoring reads; tests pass just these */
type StoredTouchpoint = { type?: string; customerId?: string | null; visitorId?: string | null };

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const clock = () => strapi.plugin('crm').service('clock') as Clock;
  const timers = new Map<string, NodeJS.Timeout>();
  /** one recompute per customer at a time */
  const running = new Map<string, Promise<unknown>>();
  let listening = false;

  const self = {
    /** Reads the customer's recent touchpoints and stores tier, score, grade and explanation. */
    async recompute(customerId: string) {
      const all = engageConfig(strapi);
      const now = clock().now().getTime();
      const rows = (await strapi.db
        .connection('moat_touchpoints')
        .where({ customer_id: customerId })
        .andWhere('occurred_at', '>=', now - all.scoring.windowDays * DAY_MS)
        .andWhere('occurred_at', '<=', now)
        .orderBy('occurred_at', 'desc')
        .limit(20_000)
        .select('type', 'path', 'occurred_at')) as Array<{ type: string; path: string | null; occurred_at: number | string }>;
      const result = scoreOf(
        rows.map((r) => ({ type: r.type, path: r.path, occurredAt: Number(r.occurred_at) })),
        now,
        all.scoring,
      );
      const tier = await strapi.plugin('crm').service('tiers').compute(customerId);
      if (!tier) return null;
      const scoreExplanation = {
        computedAt: new Date(now).toISOString(),
        halfLifeDays: all.scoring.halfLifeDays,
        score: result.score,
        items: result.items,
        tier: tier.tier,
        tierReasons: tier.reasons,
      };
      const before = (await strapi.db.query(CUSTOMER_UID).findOne({ where: { documentId: customerId }, select: ['tier'] })) as { tier?: string | null } | null;
      await strapi.db.query(CUSTOMER_UID).update({
        where: { documentId: customerId },
        data: { score: result.score, grade: result.grade, tier: tier.tier, scoreExplanation },
      });
      const from = before?.tier ?? null;
      // a move between tiers goes on the timeline (and starts the VIP flow); a new customer's
      // first "consumer" says nothing. Keyed per minute: two processes recomputing record it once.
      if (from !== tier.tier && !(from === null && tier.tier === 'consumer')) {
        await touchpoints(strapi).record({
          type: 'tier_changed',
          channel: 'crm',
          occurredAt: now,
          customerId,
          properties: { from, to: tier.tier, reasons: tier.reasons },
          dedupeKey: `crm:tier:${customerId}:${from ?? 'none'}:${tier.tier}:${Math.floor(now / 60_000)}`,
        });
      }
      return { ...result, tier: tier.tier, explanation: scoreExplanation };
    },

    /** Recomputes a customer after the debounce window (one run per window, runs never overlap). */
    schedule(customerId: string) {
      if (timers.has(customerId)) return;
      const timer = setTimeout(() => {
        timers.delete(customerId);
        const previous = running.get(customerId) ?? Promise.resolve();
        const run = previous
          .then(() => (strapi.plugin('crm').service('scoring') as typeof self).recompute(customerId))
          .catch((error: Error) => strapi.log.warn(`[crm] scoring ${customerId}: ${error.message}`))
          .finally(() => {
            if (running.get(customerId) === run) running.delete(customerId);
          });
        running.set(customerId, run);
      }, engageConfig(strapi).scoring.debounceMs);
      timer.unref?.();
      timers.set(customerId, timer);
    },

    /**
     * Queues the customers of stored touchpoints. Rows without a customer are anonymous unless
     * their visitor identified in this same batch (the join happens after the rows were built):
     * only those visitors are looked up, in one query, so anonymous traffic costs no reads.
     */
    async enqueue(touchpoints: StoredTouchpoint[]) {
      const customers = new Set<string>();
      const identified = new Set<string>();
      for (const tp of touchpoints) {
        if (tp.customerId) customers.add(tp.customerId);
        else if (tp.visitorId && (tp.type === 'identify' || tp.type === 'form_submit')) identified.add(tp.visitorId);
      }
      if (identified.size) {
        const rows = (await strapi.db
          .connection('moat_visitors')
          .whereIn('visitor_id', [...identified].slice(0, 1000))
          .whereNotNull('customer_id')
          .select('customer_id')) as Array<{ customer_id: string }>;
        for (const row of rows) customers.add(row.customer_id);
      }
      for (const customerId of customers) self.schedule(customerId);
    },

    /** Subscribes to collect's "stored" event (bootstrap). The handler returns at once. */
    listen() {
      if (listening || !engageConfig(strapi).scoring.enabled) return;
      listening = true;
      strapi.eventHub.on(TOUCHPOINTS_STORED, async (payload: Partial<TouchpointsStoredEvent>) => {
        // queue and return: the emitter (collect's flush) must not wait for scoring
        if (!Array.isArray(payload?.touchpoints)) return;
        void self.enqueue(payload.touchpoints).catch((error: Error) => strapi.log.warn(`[crm] scoring queue: ${error.message}`));
      });
    },

    /** Waits for queued and running recomputes (tests, shutdown). */
    async idle() {
      while (timers.size || running.size) await new Promise((resolve) => setTimeout(resolve, 20));
    },

    stop() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
  return self;
};
