import { describe, expect, it } from 'vitest';
import { evaluate } from '../conditions';
import { FLOW_LIMITS, parseDefinition } from '../definition';
import { sameDayOfYear } from '../engine';
import { PREBUILT_FLOWS } from '../prebuilt';
import { nextLocalTime } from '../time';

const trigger = { on: 'event', events: ['signup'] };
const problems = (input: unknown) => {
  const r = parseDefinition(input);
  return r.ok ? [] : r.problems;
};

describe('flow definitions', () => {
  it('accepts every prebuilt flow', () => {
    for (const f of PREBUILT_FLOWS) expect(problems(f.definition), f.key).toEqual([]);
  });

  it('names the step and field of what is wrong', () => {
    expect(problems({ trigger, steps: [{ type: 'wait', days: 1 }, { type: 'send', kind: 'marketing' }] })[0]).toMatch(/^steps\[1\]\.template: /);
    expect(problems({ trigger, steps: [{ type: 'wait_until', time: '9am' }] })[0]).toMatch(/^steps\[0\]\.time: /);
    expect(problems({ trigger, steps: [{ type: 'wait' }] })).toEqual(['steps[0]: a wait needs days, hours or minutes']);
    expect(problems({ trigger: { on: 'event', events: ['nope'] }, steps: [{ type: 'exit' }] })[0]).toMatch(/^trigger\.events\[0\]: /);
    expect(problems({ trigger, steps: [{ type: 'exit' }], reentry: { mode: 'after' } })[0]).toMatch(/^reentry/);
  });

  it('lets branches jump forward only, to a step that exists', () => {
    const branch = (whenTrue: number, whenFalse: number) => ({ trigger, steps: [{ type: 'exit' }, { type: 'branch', if: { field: 'ordersCount', op: 'gt', value: 0 }, whenTrue, whenFalse }, { type: 'exit' }] });
    expect(problems(branch(2, 3))).toEqual([]);
    expect(problems(branch(1, 2))).toEqual(['steps[1].whenTrue: a branch jumps forward only (to a step after 1)']);
    expect(problems(branch(2, 9))).toEqual(['steps[1].whenFalse: no step 9 (the flow has 3)']);
  });

  it('bounds steps, condition depth and size', () => {
    expect(problems({ trigger, steps: Array.from({ length: FLOW_LIMITS.maxSteps + 1 }, () => ({ type: 'exit' })) })[0]).toMatch(/^steps: /);
    let deep: unknown = { field: 'ordersCount', op: 'exists' };
    for (let i = 0; i < FLOW_LIMITS.maxConditionDepth; i++) deep = { not: deep };
    expect(problems({ trigger: { ...trigger, if: deep }, steps: [{ type: 'exit' }] })).toEqual([`trigger.if: conditions nest at most ${FLOW_LIMITS.maxConditionDepth} deep`]);
    const big = { trigger, steps: [{ type: 'send', template: 'x', kind: 'marketing', data: { text: 'a'.repeat(FLOW_LIMITS.maxBytes) } }] };
    expect(problems(big)[0]).toMatch(/^definition: \d+ characters, at most/);
    expect(problems({ trigger, steps: [{ type: 'exit' }], timeZone: 'Mars/Olympus' })).toEqual(['timeZone: "Mars/Olympus" is not an IANA time zone']);
  });
});

describe('flow conditions', () => {
  const ports = (customer: Record<string, unknown> | null, touchpoints = 0) => ({
    now: Date.UTC(2026, 0, 10),
    customer,
    countTouchpoints: async () => touchpoints,
    inSegment: async (id: string) => id === 'vip',
  });
  it('reads customer fields, recent touchpoints and segments', async () => {
    expect(await evaluate({ field: 'ordersCount', op: 'gte', value: 5 }, ports({ ordersCount: 5 }))).toBe(true);
    expect(await evaluate({ field: 'ordersCount', op: 'in', value: [5, 10] }, ports({ ordersCount: 7 }))).toBe(false);
    expect(await evaluate({ field: 'lastOrderAt', op: 'olderThanDays', value: 30 }, ports({ lastOrderAt: '2025-11-01T00:00:00Z' }))).toBe(true);
    expect(await evaluate({ field: 'country', op: 'eq', value: 'DE' }, ports(null))).toBe(false);
    expect(await evaluate({ touchpoint: 'product_view', withinHours: 24, min: 3 }, ports({}, 3))).toBe(true);
    expect(await evaluate({ touchpoint: 'cart_add', withinHours: 24, max: 0 }, ports({}, 1))).toBe(false);
    expect(await evaluate({ all: [{ segment: 'vip' }, { not: { field: 'tier', op: 'eq', value: 'gold' } }] }, ports({ tier: 'silver' }))).toBe(true);
    expect(await evaluate({ any: [{ segment: 'other' }, { field: 'score', op: 'exists' }] }, ports({}))).toBe(false);
  });
});

describe('wait_until in the recipient time zone', () => {
  it('is the next 09:00 local, later the same day or the next allowed weekday', () => {
    // 2026-01-08 is a Thursday; 06:00 UTC = 14:00 in Shanghai
    const from = new Date('2026-01-08T06:00:00Z');
    expect(nextLocalTime(from, '09:00', 'Asia/Shanghai').toISOString()).toBe('2026-01-09T01:00:00.000Z');
    expect(nextLocalTime(from, '09:00', 'America/New_York').toISOString()).toBe('2026-01-08T14:00:00.000Z');
    // Friday 09:00 Shanghai has passed by Friday 02:00 UTC: weekdays only → Monday
    expect(nextLocalTime(new Date('2026-01-09T02:00:00Z'), '09:00', 'Asia/Shanghai', [1, 2, 3, 4, 5]).toISOString()).toBe('2026-01-12T01:00:00.000Z');
  });
});

describe('the yearly day of a date', () => {
  it('matches month and day; 29 February falls on 28 February in years without one', () => {
    const leapDay = { month: 2, day: 29 };
    expect(sameDayOfYear({ month: 12, day: 5 }, { year: 2030, month: 12, day: 5 })).toBe(true);
    expect(sameDayOfYear({ month: 12, day: 5 }, { year: 2030, month: 12, day: 4 })).toBe(false);
    expect(sameDayOfYear(leapDay, { year: 2031, month: 2, day: 28 })).toBe(true);
    expect(sameDayOfYear(leapDay, { year: 2032, month: 2, day: 28 })).toBe(false);
    expect(sameDayOfYear(leapDay, { year: 2032, month: 2, day: 29 })).toBe(true);
    expect(sameDayOfYear(leapDay, { year: 2100, month: 2, day: 28 })).toBe(true);
    expect(sameDayOfYear({ month: 2, day: 28 }, { year: 2031, month: 2, day: 28 })).toBe(true);
  });
});
