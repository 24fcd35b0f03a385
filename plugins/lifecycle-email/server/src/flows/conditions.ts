import { type Condition, typesOf } from './definition';

/** What a condition may look at, given by the engine (the CRM and the touchpoint store). */
export interface ConditionPorts {
  now: number;
  customer: Record<string, unknown> | null;
  /** touchpoints of these types for the customer since `sinceMs` */
  countTouchpoints(types: readonly string[], sinceMs: number): Promise<number>;
  inSegment(segmentId: string): Promise<boolean>;
}

const DAY_MS = 86_400_000;
const asNumber = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN);
const asTime = (v: unknown) => (v instanceof Date ? v.getTime() : typeof v === 'string' || typeof v === 'number' ? new Date(v).getTime() : Number.NaN);

function compare(actual: unknown, op: string, expected: unknown, now: number): boolean {
  switch (op) {
    case 'exists':
      return actual != null && actual !== '';
    case 'eq':
      return actual === expected || (actual != null && expected != null && String(actual) === String(expected));
    case 'ne':
      return !compare(actual, 'eq', expected, now);
    case 'in':
      return Array.isArray(expected) && expected.some((e) => compare(actual, 'eq', e, now));
    case 'olderThanDays': {
      const at = asTime(actual);
      return Number.isFinite(at) && now - at > asNumber(expected) * DAY_MS;
    }
    default: {
      const [a, b] = [asNumber(actual), asNumber(expected)];
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
    }
  }
}

/** Evaluates a branch or trigger condition; a missing customer makes field tests false. */
export async function evaluate(c: Condition, ports: ConditionPorts): Promise<boolean> {
  if ('all' in c) {
    for (const part of c.all) if (!(await evaluate(part, ports))) return false;
    return true;
  }
  if ('any' in c) {
    for (const part of c.any) if (await evaluate(part, ports)) return true;
    return false;
  }
  if ('not' in c) return !(await evaluate(c.not, ports));
  if ('segment' in c) return ports.inSegment(c.segment);
  if ('touchpoint' in c) {
    const n = await ports.countTouchpoints(typesOf(c.touchpoint), ports.now - c.withinHours * 3_600_000);
    return n >= (c.min ?? 1) && (c.max === undefined || n <= c.max);
  }
  return compare(ports.customer?.[c.field], c.op, c.value, ports.now);
}
