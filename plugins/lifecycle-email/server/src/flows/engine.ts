import type { StoredTouchpoint } from '@moat/contracts';
import type { EnqueueInput, EnqueueResult } from '../delivery/types';
import { evaluate } from './conditions';
import { type FlowGoal, type FlowStep, followedTypes, goalTypes, triggerTypes, waitMs } from './definition';
import type { Customer, FlowPorts } from './ports';
import type { EnrollmentContext, EnrollmentRow, FlowRepository, FlowRow } from './repository';
import { templateData } from './send-data';
import { localParts } from '@moat/plugin-kit';
import { nextLocalTime, zoneOr } from './time';

export interface FlowSettings {
  /** the shop's time zone: customers without one, date triggers */
  timeZone: string;
  shop: { name: string; address: string; url: string };
  leaseMs: number;
  batch: number;
  /** an event older than this starts no flow (a backfill of last year's orders mails nobody); 0: no limit */
  maxTriggerAgeMs?: number;
}

export interface FlowEngineDeps {
  repo: FlowRepository;
  ports: FlowPorts;
  /** the flow clock (tests move it) */
  now(): number;
  enqueue(input: EnqueueInput): Promise<EnqueueResult>;
  settings(): FlowSettings;
  log: { warn(msg: string): void; error(msg: string): void };
}

/** A touchpoint as the engine needs it (the event payload, or a row a job carried). */
export type FlowEvent = Pick<StoredTouchpoint, 'id' | 'type' | 'customerId' | 'occurredAt' | 'properties' | 'site' | 'dedupeKey'>;

/** The enrollment's own trigger (rows recorded one at a time carry no id: the dedupe key tells). */
const isTrigger = (tp: FlowEvent, t: EnrollmentContext['trigger']) => (tp.id != null && tp.id === t.touchpointId) || (tp.dedupeKey != null && tp.dedupeKey === t.dedupeKey);

const MAX_CONTEXT_EVENTS = 20;
/** What makes a touchpoint's enrollment unique: its dedupe key, else its id (neither: none). */
const triggerKeyOf = (tp: FlowEvent): string | null => tp.dedupeKey ?? (tp.id != null ? `id:${tp.id}` : null);
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const goalReason = (g: FlowGoal) => `goal:${g.type === 'event' ? g.event : g.type}`;

/** The same touchpoint evaluated again (a lost job's catch-up) is not added to the context twice. */
const hasEvent = (context: EnrollmentContext, tp: FlowEvent) =>
  (context.events ?? []).some((e) => e.type === tp.type && e.occurredAt === tp.occurredAt && JSON.stringify(e.properties) === JSON.stringify(tp.properties ?? {}));

/** The inquiry a touchpoint is about (inquiry_created, stage_changed of an inquiry). */
const inquiryOf = (tp: FlowEvent): string | undefined => {
  const p = tp.properties ?? {};
  if (tp.type === 'inquiry_created' && typeof p.inquiry_id === 'string') return p.inquiry_id;
  if (tp.type === 'stage_changed' && p.entity === 'inquiry' && typeof p.id === 'string') return p.id;
  return undefined;
};

/**
 * The flow engine: touchpoints start enrollments and reach goals; the scheduler advances due
 * enrollments step by step. A send's idempotency key is `flow:<flow>:<enrollment>:<step>`, so
 * a step run twice (a crash between the send and the save) still sends once.
 */
/** The yearly day of a date: 29 February is kept on 28 February in years without one. */
export function sameDayOfYear(date: { month: number; day: number }, today: { year: number; month: number; day: number }): boolean {
  if (date.month === today.month && date.day === today.day) return true;
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return date.month === 2 && date.day === 29 && today.month === 2 && today.day === 28 && !leap(today.year);
}

export function createFlowEngine(deps: FlowEngineDeps) {
  const { repo, ports } = deps;

  const conditionPorts = (customerId: string, customer: Customer | null) => ({
    now: deps.now(),
    customer,
    countTouchpoints: (types: readonly string[], since: number) => ports.countTouchpoints(customerId, types, since),
    inSegment: (segmentId: string) => ports.inSegment(customerId, segmentId),
  });

  /** The customer may (re-)enter: no active enrollment is checked by the unique key itself. */
  async function mayEnter(flow: FlowRow, customerId: string): Promise<boolean> {
    const rule = flow.definition.reentry;
    if (rule.mode === 'always') return true;
    const last = await repo.lastEnrolledAt(flow.id, customerId);
    if (last === null) return true;
    return rule.mode === 'after' && deps.now() - last >= rule.days * DAY_MS;
  }

  /** `facts` override customer fields as of the trigger (an order's own number). */
  async function enroll(flow: FlowRow, customerId: string, context: EnrollmentContext, triggerKey: string | null, facts?: Record<string, unknown>): Promise<number | null> {
    const { trigger } = flow.definition;
    if (!(await mayEnter(flow, customerId))) return null;
    if (trigger.if) {
      const customer = await ports.customer(customerId);
      if (!(await evaluate(trigger.if, conditionPorts(customerId, customer && facts ? { ...customer, ...facts } : customer)))) return null;
    }
    return repo.enroll(flow, customerId, context, deps.now(), triggerKey);
  }

  /** A goal this touchpoint reaches for this enrollment. */
  function goalBy(flow: FlowRow, e: EnrollmentRow, tp: FlowEvent): FlowGoal | undefined {
    if (tp.occurredAt < e.context.since) return undefined;
    return flow.definition.goals.find((g) => {
      if (!goalTypes(g).includes(tp.type)) return false;
      if (g.type !== 'inquiry_moved') return true;
      const p = tp.properties ?? {};
      return p.entity === 'inquiry' && p.to !== 'new' && (!e.context.inquiryId || p.id === e.context.inquiryId);
    });
  }

  /** Goals reached while the enrollment waited, from the stores (events may race the scheduler). */
  async function goalInStores(flow: FlowRow, e: EnrollmentRow): Promise<FlowGoal | undefined> {
    for (const g of flow.definition.goals) {
      if (g.type === 'inquiry_moved') {
        if (!e.context.inquiryId) continue;
        const status = await ports.inquiryStatus(e.context.inquiryId);
        if (status && status !== 'new') return g;
        continue;
      }
      if ((await ports.countTouchpoints(e.customerId, goalTypes(g), e.context.since)) > 0) return g;
    }
    return undefined;
  }

  async function finish(e: EnrollmentRow, state: 'completed' | 'exited', reason: string, step: number) {
    if ((await repo.finish(e.id, state, reason, step, deps.now())) && state === 'exited') await repo.bump(e.flowId, step, 'exited');
  }

  /** Runs a claimed enrollment until it waits or ends. */
  async function advance(flow: FlowRow | undefined, e: EnrollmentRow, claim: string): Promise<void> {
    if (!flow?.enabled) return finish(e, 'exited', 'flow_disabled', e.step);
    const goal = await goalInStores(flow, e);
    if (goal) return finish(e, 'exited', goalReason(goal), e.step);
    const steps = flow.definition.steps;
    let customer: Customer | null | undefined;
    const getCustomer = async () => (customer === undefined ? (customer = await ports.customer(e.customerId)) : customer);
    let step = e.step;
    // branches jump forward only: at most one pass over the steps
    for (let guard = 0; guard <= steps.length; guard++) {
      if (step >= steps.length) return finish(e, 'completed', 'done', step);
      const s: FlowStep = steps[step];
      await repo.bump(flow.id, step, 'entered');
      const now = deps.now();
      if (s.type === 'wait') return repo.release(e.id, claim, { step: step + 1, nextRunAt: now + waitMs(s) }, now);
      if (s.type === 'wait_until') {
        const c = await getCustomer();
        const zone = zoneOr(c?.timeZone, flow.definition.timeZone ?? deps.settings().timeZone);
        return repo.release(e.id, claim, { step: step + 1, nextRunAt: nextLocalTime(new Date(now), s.time, zone, s.weekdays).getTime() }, now);
      }
      if (s.type === 'exit') return finish(e, 'exited', s.reason ?? 'exit_step', step);
      if (s.type === 'branch') {
        step = (await evaluate(s.if, conditionPorts(e.customerId, await getCustomer()))) ? s.whenTrue : s.whenFalse;
        continue;
      }
      const c = await getCustomer();
      if (!c?.email) return finish(e, 'exited', 'no_email', step);
      const { data, locale } = await templateData(c, e.context, s.data, deps.settings(), ports);
      try {
        await deps.enqueue({
          idempotencyKey: `flow:${flow.id}:${e.id}:${step}`,
          lane: s.kind === 'transactional' ? 'transactional' : 'bulk',
          kind: s.kind,
          to: c.email,
          customerId: e.customerId,
          templateKey: s.template,
          locale,
          data,
          flowId: String(flow.id),
        });
      } catch (error) {
        // a message the log refuses (an address it cannot send to) will never send: end here, not retry forever
        if ((error as Error).name === 'ValidationError') return finish(e, 'exited', `invalid_message: ${(error as Error).message}`, step);
        throw error;
      }
      await repo.bump(flow.id, step, 'sent');
      step += 1;
    }
    return finish(e, 'completed', 'done', step);
  }

  return {
    advance,

    /**
     * Touchpoints after they are stored: goals end enrollments, later trigger events join the
     * enrollment's context (a growing cart), triggers start enrollments. Returns new enrollments.
     */
    async handleTouchpoints(touchpoints: FlowEvent[]): Promise<number> {
      const relevant = touchpoints.filter((tp) => tp.customerId).sort((a, b) => a.occurredAt - b.occurredAt);
      if (relevant.length === 0) return 0;
      const all = await repo.listFlows();
      const byId = new Map(all.map((f) => [f.id, f]));
      let started = 0;
      for (const tp of relevant) {
        const customerId = tp.customerId as string;
        for (const e of await repo.activeOfCustomer(customerId)) {
          const flow = byId.get(e.flowId);
          if (!flow) continue;
          const goal = goalBy(flow, e, tp);
          if (goal) {
            await finish(e, 'exited', goalReason(goal), e.step);
          } else if (followedTypes(flow.definition).includes(tp.type) && !isTrigger(tp, e.context.trigger) && !hasEvent(e.context, tp)) {
            // in the order they happened (jobs may arrive out of order), the newest kept
            const events = [...(e.context.events ?? []), { type: tp.type, occurredAt: tp.occurredAt, properties: tp.properties ?? {} }]
              .sort((a, b) => a.occurredAt - b.occurredAt)
              .slice(-MAX_CONTEXT_EVENTS);
            await repo.setContext(e.id, { ...e.context, events }, deps.now());
          }
        }
        // goals and growing carts above take any event; starting a flow takes a recent one
        const maxAge = deps.settings().maxTriggerAgeMs ?? 0;
        const stale = maxAge > 0 && deps.now() - tp.occurredAt > maxAge;
        const triggered = stale ? [] : all.filter((flow) => flow.enabled && triggerTypes(flow.definition).includes(tp.type));
        let facts: Record<string, unknown> | undefined;
        if (tp.type === 'order_placed' && triggered.length > 0) {
          await ports.refreshOrders(customerId);
          // "the 5th order" is this order's number, not the count now: a job late behind the
          // next order (or the catch-up) judges the order it carries
          facts = { ordersCount: await ports.orderNumber(customerId, tp) };
        }
        for (const flow of triggered) {
          const context: EnrollmentContext = { since: tp.occurredAt, trigger: { type: tp.type, touchpointId: tp.id, dedupeKey: tp.dedupeKey ?? null, properties: tp.properties ?? {} } };
          const inquiryId = inquiryOf(tp);
          if (inquiryId) context.inquiryId = inquiryId;
          if (await enroll(flow, customerId, context, triggerKeyOf(tp), facts)) started++;
        }
      }
      return started;
    },

    /**
     * Date triggers (birthdays, first-order anniversaries, N days after a date): the day is the
     * customer's own, in their time zone (else the flow's, else the shop's). Scanned once an hour
     * per flow, so every zone's day is seen; each customer enrolls once per year (per due date
     * for `afterDays`), however often their day is scanned.
     */
    async scanDates(): Promise<number> {
      const now = deps.now();
      const hour = String(Math.floor(now / HOUR_MS));
      let started = 0;
      for (const flow of await repo.enabledFlows()) {
        const t = flow.definition.trigger;
        if (t.on !== 'date' || !(await repo.markScanned(flow.id, hour))) continue;
        const minYears = t.minYears ?? (t.field === 'firstOrderAt' ? 1 : 0);
        const flowZone = flow.definition.timeZone ?? deps.settings().timeZone;
        for (let after = 0; ; ) {
          const page = await ports.customersWith(t.field, after, 500);
          if (page.length === 0) break;
          after = page[page.length - 1].id;
          for (const c of page) {
            const at = new Date(c.value as string);
            if (Number.isNaN(at.getTime())) continue;
            const zone = zoneOr(c.timeZone, flowZone);
            const today = localParts(new Date(now), zone);
            // date-only values (birthdays) are calendar dates; instants are read in the customer's zone
            const local = typeof c.value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.value) ? { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() } : localParts(at, zone);
            let key: string;
            if (t.afterDays !== undefined) {
              const due = new Date(Date.UTC(local.year, local.month - 1, local.day + t.afterDays));
              if (due.getUTCFullYear() !== today.year || due.getUTCMonth() + 1 !== today.month || due.getUTCDate() !== today.day) continue;
              key = `date:${c.documentId}:${due.toISOString().slice(0, 10)}`;
            } else {
              if (!sameDayOfYear(local, today) || today.year - local.year < minYears) continue;
              key = `date:${c.documentId}:${today.year}`;
            }
            const context: EnrollmentContext = { since: now, trigger: { type: `date:${t.field}`, properties: { years: today.year - local.year } } };
            if (await enroll(flow, c.documentId, context, key)) started++;
          }
        }
      }
      return started;
    },

    /** Advances every due enrollment (the scheduler's tick); returns how many ran. */
    async runDue(claim: string): Promise<number> {
      const s = deps.settings();
      let ran = 0;
      for (;;) {
        const due = await repo.claimDue(deps.now(), claim, s.leaseMs, Date.now(), s.batch);
        if (due.length === 0) return ran;
        const flows = new Map((await repo.listFlows()).map((f) => [f.id, f]));
        for (const e of due) {
          try {
            await advance(flows.get(e.flowId), e, claim);
          } catch (error) {
            // the claim lapses after its lease; the step runs again then (its send is idempotent)
            deps.log.error(`lifecycle-email: flow enrollment ${e.id}: ${(error as Error).message}`);
          }
          ran++;
        }
        if (due.length < s.batch) return ran;
      }
    },
  };
}

export type FlowEngine = ReturnType<typeof createFlowEngine>;
