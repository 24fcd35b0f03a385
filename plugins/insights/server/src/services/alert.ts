import type { Core } from '@strapi/strapi';
import type { Filters } from '../schemas/query';
import { isoOfDay } from '../utils/days';
import { getService } from '../utils/get-service';
import { type Funnel, STAGES, type Stage } from './funnel';

export interface StageCheck {
  stage: Stage;
  rate: number | null;
  baselineRate: number | null;
  /** deals this stage's drop cost: what the period would have closed at the baseline rate */
  lostDeals: number;
  /** lostDeals at the period's average deal value */
  cost: number;
}
export interface Alert {
  period: { from: string; to: string };
  baseline: { from: string; to: string; kind: 'previous' | 'trailing4w' };
  stages: StageCheck[];
  /** the stage whose drop cost the most; null when no stage fell below its baseline */
  weakest: StageCheck | null;
}

/**
 * What a stage's drop cost: keep every other stage as it was this period, put this stage back
 * at its baseline rate, and count the deals that would have followed. Stages after it use
 * this period's rates (the baseline's where this period has none: nobody got that far).
 */
export function checkStages(current: Funnel, base: Funnel): StageCheck[] {
  const { counts } = current;
  const deals = counts.deals ?? 0;
  const baseDeals = base.counts.deals ?? 0;
  const avgDeal = deals > 0 ? counts.revenue / deals : baseDeals > 0 ? base.counts.revenue / baseDeals : 0;
  const checks: StageCheck[] = [];
  for (let i = 1; i < STAGES.length; i++) {
    const stage = STAGES[i];
    const rate = current.rates[stage] ?? null;
    const baselineRate = base.rates[stage] ?? null;
    let lostDeals = 0;
    const before = counts[STAGES[i - 1]];
    if (baselineRate !== null && before !== null && (rate === null || rate < baselineRate)) {
      let expected = before * baselineRate;
      for (let j = i + 1; j < STAGES.length; j++) expected *= current.rates[STAGES[j]] ?? base.rates[STAGES[j]] ?? 0;
      lostDeals = Math.max(0, expected - deals);
    }
    checks.push({ stage, rate, baselineRate, lostDeals, cost: lostDeals * avgDeal });
  }
  return checks;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async check(fromDay: number, toDay: number, kind: 'previous' | 'trailing4w' = 'previous', filters: Filters = {}): Promise<Alert> {
    const length = toDay - fromDay + 1;
    const baseFrom = kind === 'previous' ? fromDay - length : fromDay - 28;
    const baseTo = fromDay - 1;
    const funnel = getService(strapi, 'funnel');
    const [current, base] = await Promise.all([funnel.funnel(fromDay, toDay, filters), funnel.funnel(baseFrom, baseTo, filters)]);
    const stages = checkStages(current, base);
    const weakest = stages.reduce<StageCheck | null>((worst, s) => (s.lostDeals > 0 && (!worst || s.lostDeals > worst.lostDeals) ? s : worst), null);
    return { period: { from: isoOfDay(fromDay), to: isoOfDay(toDay) }, baseline: { from: isoOfDay(baseFrom), to: isoOfDay(baseTo), kind }, stages, weakest };
  },
});
