/**
 * A lifecycle flow as data: what starts it (a touchpoint, or a date on the customer), the steps
 * an enrollment walks, the goals that end it early and whether a customer may enter again.
 * Definitions come from admins (POST/PUT /lifecycle-email/flows), so everything is bounded and
 * a branch may only jump forward: every enrollment ends after at most `steps.length` moves.
 */
import { TOUCHPOINT_TYPES } from '@moat/contracts';
import { z } from 'zod';
import { zoneOr } from './time';

export const FLOW_LIMITS = {
  maxSteps: 30,
  /** nesting of all/any/not in one condition */
  maxConditionDepth: 4,
  /** JSON characters of one definition */
  maxBytes: 20_000,
  maxWaitDays: 366,
} as const;

/** Friendly trigger names for the touchpoint types they stand for. */
export const EVENT_ALIASES: Record<string, readonly string[]> = {
  signup: ['identify'],
  order: ['order_placed'],
  fulfillment: ['order_fulfilled'],
  inquiry_created: ['inquiry_created'],
  inquiry_changed: ['stage_changed'],
};
export const EVENT_NAMES = [...new Set([...Object.keys(EVENT_ALIASES), ...TOUCHPOINT_TYPES])] as [string, ...string[]];

/** Customer fields a condition may read (CRM customer attributes). */
export const CUSTOMER_FIELDS = ['ordersCount', 'totalSpent', 'score', 'grade', 'tier', 'stage', 'country', 'language', 'emailConsent', 'firstOrderAt', 'lastOrderAt', 'lastSeenAt', 'company'] as const;
/** Date fields a date trigger may fire on (a missing attribute simply never fires). */
export const DATE_FIELDS = ['birthday', 'firstOrderAt', 'lastOrderAt'] as const;

const scalar = z.union([z.string().max(200), z.number().finite(), z.boolean(), z.null()]);

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: (typeof CUSTOMER_FIELDS)[number]; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists' | 'olderThanDays'; value?: unknown }
  | { touchpoint: string; withinHours: number; min?: number; max?: number }
  | { segment: string };

const leafCondition = z.union([
  z.strictObject({
    field: z.enum(CUSTOMER_FIELDS),
    op: z.enum(['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'exists', 'olderThanDays']),
    value: z.union([scalar, z.array(scalar).max(50)]).optional(),
  }),
  z.strictObject({
    touchpoint: z.enum(EVENT_NAMES),
    withinHours: z.number().positive().max(FLOW_LIMITS.maxWaitDays * 24),
    min: z.number().int().min(0).max(1000).optional(),
    max: z.number().int().min(0).max(1000).optional(),
  }),
  z.strictObject({ segment: z.string().min(1).max(64) }),
]);

const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).min(1).max(20) }),
    z.strictObject({ any: z.array(condition).min(1).max(20) }),
    z.strictObject({ not: condition }),
    leafCondition,
  ]),
) as z.ZodType<Condition>;

const duration = {
  days: z.number().min(0).max(FLOW_LIMITS.maxWaitDays).optional(),
  hours: z.number().min(0).max(FLOW_LIMITS.maxWaitDays * 24).optional(),
  minutes: z.number().min(0).max(FLOW_LIMITS.maxWaitDays * 24 * 60).optional(),
};

const stepSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('wait'), ...duration }),
  z.strictObject({
    type: z.literal('wait_until'),
    /** local time of day in the recipient's time zone, HH:MM */
    time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM'),
    /** weekdays allowed (0 = Sunday); default every day */
    weekdays: z.array(z.number().int().min(0).max(6)).min(1).max(7).optional(),
  }),
  z.strictObject({
    type: z.literal('send'),
    /** template name or document id */
    template: z.string().min(1).max(128),
    kind: z.enum(['marketing', 'transactional']),
    /** extra template data (fixed texts such as a milestone headline) */
    data: z.record(z.string().max(64), z.unknown()).optional(),
  }),
  // step indexes to go on at (not then/else: an object with `then` is a thenable)
  z.strictObject({ type: z.literal('branch'), if: condition, whenTrue: z.number().int().min(0), whenFalse: z.number().int().min(0) }),
  z.strictObject({ type: z.literal('exit'), reason: z.string().max(100).optional() }),
]);

const triggerSchema = z.discriminatedUnion('on', [
  z.strictObject({
    on: z.literal('event'),
    /** touchpoint types or aliases (signup, order, fulfillment, inquiry_created, inquiry_changed) */
    events: z.array(z.enum(EVENT_NAMES)).min(1).max(10),
    /** only customers for whom this holds when the event arrives */
    if: condition.optional(),
  }),
  z.strictObject({
    on: z.literal('date'),
    field: z.enum(DATE_FIELDS),
    /** once, this many days after the date (90 days after the last order); without it: every year on the date */
    afterDays: z.number().int().min(1).max(3650).optional(),
    /** yearly: whole years since the date at least (first-order anniversaries: 1) */
    minYears: z.number().int().min(0).max(150).optional(),
    if: condition.optional(),
  }),
]);

const goalSchema = z.union([
  z.strictObject({ type: z.enum(['purchase', 'reply', 'unsubscribe', 'inquiry_moved']) }),
  z.strictObject({ type: z.literal('event'), event: z.enum(EVENT_NAMES) }),
]);

const reentrySchema = z.union([
  z.strictObject({ mode: z.enum(['once', 'always']) }),
  z.strictObject({ mode: z.literal('after'), days: z.number().positive().max(3650) }),
]);

export const definitionSchema = z.strictObject({
  trigger: triggerSchema,
  steps: z.array(stepSchema).min(1).max(FLOW_LIMITS.maxSteps),
  goals: z.array(goalSchema).max(10).default([]),
  reentry: reentrySchema.default({ mode: 'once' }),
  /** the time zone of customers without one (IANA); default the shop's */
  timeZone: z.string().max(64).optional(),
});

export type FlowDefinition = z.infer<typeof definitionSchema>;
export type FlowStep = FlowDefinition['steps'][number];
export type FlowGoal = FlowDefinition['goals'][number];

const depthOf = (c: Condition): number => {
  if ('all' in c) return 1 + Math.max(...c.all.map(depthOf));
  if ('any' in c) return 1 + Math.max(...c.any.map(depthOf));
  if ('not' in c) return 1 + depthOf(c.not);
  return 1;
};

const validZone = (tz: string) => zoneOr(tz, '') === tz;

/** Problems zod cannot see: jumps, depth, empty waits, the time zone. Each names its place. */
function structuralProblems(d: FlowDefinition): string[] {
  const problems: string[] = [];
  const checkCondition = (c: Condition | undefined, where: string) => {
    if (c && depthOf(c) > FLOW_LIMITS.maxConditionDepth) problems.push(`${where}: conditions nest at most ${FLOW_LIMITS.maxConditionDepth} deep`);
  };
  checkCondition(d.trigger.if, 'trigger.if');
  d.steps.forEach((step, i) => {
    if (step.type === 'branch') {
      checkCondition(step.if, `steps[${i}].if`);
      for (const target of ['whenTrue', 'whenFalse'] as const) {
        // forward only: no loops, so an enrollment always finishes
        if (step[target] <= i) problems.push(`steps[${i}].${target}: a branch jumps forward only (to a step after ${i})`);
        else if (step[target] > d.steps.length) problems.push(`steps[${i}].${target}: no step ${step[target]} (the flow has ${d.steps.length})`);
      }
    }
    if (step.type === 'wait' && !((step.days ?? 0) + (step.hours ?? 0) + (step.minutes ?? 0) > 0)) problems.push(`steps[${i}]: a wait needs days, hours or minutes`);
  });
  if (d.timeZone && !validZone(d.timeZone)) problems.push(`timeZone: "${d.timeZone}" is not an IANA time zone`);
  return problems;
}

export type ParseResult = { ok: true; definition: FlowDefinition } | { ok: false; problems: string[] };

/** Validates an admin's definition; problems name the field, e.g. `steps[2].template: Required`. */
export function parseDefinition(input: unknown): ParseResult {
  const size = JSON.stringify(input ?? null).length;
  if (size > FLOW_LIMITS.maxBytes) return { ok: false, problems: [`definition: ${size} characters, at most ${FLOW_LIMITS.maxBytes}`] };
  const parsed = definitionSchema.safeParse(input);
  if (!parsed.success) {
    const path = (p: PropertyKey[]) => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i === 0 ? '' : '.'}${String(k)}`)).join('');
    return { ok: false, problems: parsed.error.issues.slice(0, 10).map((i) => `${path(i.path) || 'definition'}: ${i.message}`) };
  }
  const problems = structuralProblems(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, definition: parsed.data };
}

/** The touchpoint types an event name stands for. */
export const typesOf = (event: string): readonly string[] => EVENT_ALIASES[event] ?? [event];

/** Milliseconds of a wait step. */
export const waitMs = (s: { days?: number; hours?: number; minutes?: number }) => ((s.days ?? 0) * 24 * 60 + (s.hours ?? 0) * 60 + (s.minutes ?? 0)) * 60_000;

/** the touchpoint types each built-in goal stands for */
const GOAL_TYPES: Record<string, readonly string[]> = { purchase: ['order_placed'], reply: ['message_received'], unsubscribe: ['unsubscribed'], inquiry_moved: ['stage_changed'] };
export const goalTypes = (g: FlowGoal): readonly string[] => (g.type === 'event' ? typesOf(g.event) : GOAL_TYPES[g.type]);
export const triggerTypes = (d: FlowDefinition): string[] => (d.trigger.on === 'event' ? d.trigger.events.flatMap((e) => [...typesOf(e)]) : []);
const CART_CHANGES = ['cart_remove', 'cart_clear'];
/** What an enrollment keeps in its context after it started: its trigger's types, and for cart flows every cart change (the mail shows the cart as it is). */
export const followedTypes = (d: FlowDefinition): string[] => {
  const types = triggerTypes(d);
  return types.includes('cart_add') ? [...types, ...CART_CHANGES] : types;
};
