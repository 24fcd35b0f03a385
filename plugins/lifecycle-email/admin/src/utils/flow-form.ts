/**
 * The flow editor's form state and its round trip to a flow definition (server/src/flows/definition.ts).
 * Steps carry a stable client id and branch targets point at ids, so adding, removing and
 * reordering steps keeps every branch aimed at the same step; indexes are made on save.
 * Conditions the form has no fields for (all / any / not / segment) travel as JSON text.
 */
import type { Condition, FlowDefinition } from '../../../server/src/flows/definition';

export const END = 'end';
export const OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'exists', 'olderThanDays'] as const;
export const BUILTIN_GOALS = ['purchase', 'reply', 'unsubscribe', 'inquiry_moved'] as const;

export type ConditionForm =
  | { kind: 'none' }
  | { kind: 'field'; field: string; op: string; value: string }
  | { kind: 'touchpoint'; touchpoint: string; withinHours: string }
  | { kind: 'json'; text: string };

export type StepForm = { id: string } & (
  | { type: 'wait'; days: string; hours: string; minutes: string }
  | { type: 'wait_until'; time: string; weekdays?: number[] }
  | { type: 'send'; template: string; kind: 'marketing' | 'transactional'; data?: Record<string, unknown> }
  | { type: 'branch'; condition: ConditionForm; whenTrue: string; whenFalse: string }
  | { type: 'exit'; reason: string }
);
export type StepType = StepForm['type'];
export const STEP_TYPES: StepType[] = ['wait', 'wait_until', 'send', 'branch', 'exit'];

export interface FlowForm {
  name: string;
  trigger: { on: 'event'; events: string[]; condition: ConditionForm } | { on: 'date'; field: string; afterDays: string; minYears: string; condition: ConditionForm };
  steps: StepForm[];
  goals: string[];
  goalEvents: string[];
  reentry: { mode: 'once' | 'always' | 'after'; days: string };
  timeZone?: string;
}

let seq = 0;
export const newId = () => `s${Date.now().toString(36)}${(seq++).toString(36)}`;

const str = (n: number | undefined) => (n === undefined ? '' : String(n));
const num = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s));

export function newStep(type: StepType): StepForm {
  const id = newId();
  switch (type) {
    case 'wait':
      return { id, type, days: '1', hours: '', minutes: '' };
    case 'wait_until':
      return { id, type, time: '09:00' };
    case 'send':
      return { id, type, template: '', kind: 'marketing' };
    case 'branch':
      return { id, type, condition: { kind: 'field', field: 'ordersCount', op: 'gt', value: '0' }, whenTrue: END, whenFalse: END };
    default:
      return { id, type: 'exit', reason: '' };
  }
}

export const emptyForm = (): FlowForm => ({
  name: '',
  trigger: { on: 'event', events: [], condition: { kind: 'none' } },
  steps: [newStep('send')],
  goals: [],
  goalEvents: [],
  reentry: { mode: 'once', days: '30' },
});

export function conditionToForm(c: Condition | undefined): ConditionForm {
  if (!c) return { kind: 'none' };
  if ('field' in c && (c.value === undefined || typeof c.value !== 'object')) return { kind: 'field', field: c.field, op: c.op, value: c.value == null ? '' : String(c.value) };
  if ('touchpoint' in c && c.min === undefined && c.max === undefined) return { kind: 'touchpoint', touchpoint: c.touchpoint, withinHours: String(c.withinHours) };
  return { kind: 'json', text: JSON.stringify(c, null, 2) };
}

/** A form condition as definition JSON; text that is not JSON goes as the text itself, for the server to name. */
export function conditionFromForm(c: ConditionForm): unknown {
  switch (c.kind) {
    case 'none':
      return undefined;
    case 'field': {
      const n = Number(c.value);
      const value = c.op === 'exists' ? undefined : c.value.trim() !== '' && Number.isFinite(n) ? n : c.value;
      return { field: c.field, op: c.op, ...(value === undefined ? {} : { value }) };
    }
    case 'touchpoint':
      return { touchpoint: c.touchpoint, withinHours: num(c.withinHours) };
    case 'json':
      try {
        return JSON.parse(c.text);
      } catch {
        return c.text;
      }
  }
}

export function formOf(name: string, d: FlowDefinition): FlowForm {
  const ids = d.steps.map(() => newId());
  const target = (i: number) => ids[i] ?? END;
  const steps = d.steps.map((s, i): StepForm => {
    const id = ids[i];
    switch (s.type) {
      case 'wait':
        return { id, type: 'wait', days: str(s.days), hours: str(s.hours), minutes: str(s.minutes) };
      case 'wait_until':
        return { id, type: 'wait_until', time: s.time, weekdays: s.weekdays };
      case 'send':
        return { id, type: 'send', template: s.template, kind: s.kind, data: s.data };
      case 'branch':
        return { id, type: 'branch', condition: conditionToForm(s.if), whenTrue: target(s.whenTrue), whenFalse: target(s.whenFalse) };
      default:
        return { id, type: 'exit', reason: s.reason ?? '' };
    }
  });
  const t = d.trigger;
  return {
    name,
    trigger:
      t.on === 'event'
        ? { on: 'event', events: [...t.events], condition: conditionToForm(t.if) }
        : { on: 'date', field: t.field, afterDays: str(t.afterDays), minYears: str(t.minYears), condition: conditionToForm(t.if) },
    steps,
    goals: d.goals.flatMap((g) => (g.type === 'event' ? [] : [g.type])),
    goalEvents: d.goals.flatMap((g) => (g.type === 'event' ? [g.event] : [])),
    reentry: d.reentry.mode === 'after' ? { mode: 'after', days: String(d.reentry.days) } : { mode: d.reentry.mode, days: '30' },
    timeZone: d.timeZone,
  };
}

const compact = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/** The definition to send; numbers typed as text go as numbers, the server checks everything. */
export function definitionOf(f: FlowForm): unknown {
  const index = (id: string) => (id === END ? f.steps.length : f.steps.findIndex((s) => s.id === id));
  const steps = f.steps.map((s) => {
    switch (s.type) {
      case 'wait':
        return compact({ type: s.type, days: num(s.days), hours: num(s.hours), minutes: num(s.minutes) });
      case 'wait_until':
        return compact({ type: s.type, time: s.time, weekdays: s.weekdays });
      case 'send':
        return compact({ type: s.type, template: s.template, kind: s.kind, data: s.data });
      case 'branch':
        return { type: s.type, if: conditionFromForm(s.condition), whenTrue: index(s.whenTrue), whenFalse: index(s.whenFalse) };
      default:
        return compact({ type: s.type, reason: s.reason.trim() || undefined });
    }
  });
  const t = f.trigger;
  const trigger =
    t.on === 'event'
      ? compact({ on: 'event', events: t.events, if: conditionFromForm(t.condition) })
      : compact({ on: 'date', field: t.field, afterDays: num(t.afterDays), minYears: num(t.minYears), if: conditionFromForm(t.condition) });
  return compact({
    trigger,
    steps,
    goals: [...f.goals.map((type) => ({ type })), ...f.goalEvents.map((event) => ({ type: 'event', event }))],
    reentry: f.reentry.mode === 'after' ? { mode: 'after', days: num(f.reentry.days) } : { mode: f.reentry.mode },
    timeZone: f.timeZone,
  });
}

/** A key for a new flow: its name's latin letters and a time suffix (names may be all Chinese). */
export const keyOf = (name: string) => {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'flow'}-${Date.now().toString(36)}`;
};

/**
 * The server's problems (`steps[2].template: Required`) sorted by where they belong: the step
 * index they name, or `general` (name, trigger, goals, re-entry).
 */
export function problemsByStep(problems: string[]): { steps: Map<number, string[]>; general: string[] } {
  const steps = new Map<number, string[]>();
  const general: string[] = [];
  for (const p of problems) {
    const m = /^steps\[(\d+)\]/.exec(p);
    if (m) steps.set(Number(m[1]), [...(steps.get(Number(m[1])) ?? []), p]);
    else general.push(p);
  }
  return { steps, general };
}

/** The problems in a refused save: details.problems, else the message itself. */
export function problemsOf(error: unknown): string[] {
  const body = (error as { response?: { data?: { error?: { message?: string; details?: { problems?: unknown } } } } }).response?.data?.error;
  const problems = body?.details?.problems;
  if (Array.isArray(problems)) return problems.map(String);
  return [body?.message ?? (error as Error).message];
}
