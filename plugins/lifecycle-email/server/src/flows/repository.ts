import type { Knex } from 'knex';
import { parseData } from '../delivery/repository';
import { ENROLLMENTS_TABLE, FLOW_CURSOR_TABLE, FLOWS_TABLE, STEP_STATS_TABLE } from '../migrations/flows';
import type { FlowDefinition } from './definition';

export type EnrollmentState = 'active' | 'completed' | 'exited';
export type StepMetric = 'entered' | 'sent' | 'exited';

export interface FlowRow {
  id: number;
  key: string;
  name: string;
  enabled: boolean;
  definition: FlowDefinition;
  version: number;
  scannedDay: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What an enrollment carries between steps: why it started and what it has seen since. */
export interface EnrollmentContext {
  /** occurredAt of the triggering touchpoint: goals count from here */
  since: number;
  trigger: { type: string; touchpointId?: number | null; dedupeKey?: string | null; properties?: Record<string, unknown> };
  /** the inquiry an inquiry flow follows (its moving on is a goal) */
  inquiryId?: string;
  /** later touchpoints of the trigger's types (cart additions), newest last, bounded */
  events?: Array<{ type: string; occurredAt: number; properties: Record<string, unknown> }>;
}

export interface EnrollmentRow {
  id: number;
  flowId: number;
  flowVersion: number;
  customerId: string;
  state: EnrollmentState;
  reason: string | null;
  step: number;
  nextRunAt: number | null;
  context: EnrollmentContext;
  enrolledAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

const num = (v: unknown) => Number(v ?? 0);

const toFlow = (r: Record<string, any>): FlowRow => ({
  id: num(r.id),
  key: r.key,
  name: r.name,
  enabled: Boolean(r.enabled),
  definition: parseData(r.definition) as unknown as FlowDefinition,
  version: num(r.version),
  scannedDay: r.scanned_day ?? null,
  createdAt: num(r.created_at),
  updatedAt: num(r.updated_at),
});

const toEnrollment = (r: Record<string, any>): EnrollmentRow => ({
  id: num(r.id),
  flowId: num(r.flow_id),
  flowVersion: num(r.flow_version),
  customerId: r.customer_id,
  state: r.state,
  reason: r.reason ?? null,
  step: num(r.step),
  nextRunAt: r.next_run_at == null ? null : num(r.next_run_at),
  context: parseData(r.context) as unknown as EnrollmentContext,
  enrolledAt: num(r.enrolled_at),
  updatedAt: num(r.updated_at),
  finishedAt: r.finished_at == null ? null : num(r.finished_at),
});

/**
 * Data access for flows and enrollments. An enrollment is advanced only under a claim (a
 * conditional UPDATE with a lease), so two schedulers never run the same step at once.
 */
export function createFlowRepository(knex: () => Knex) {
  const flows = () => knex()(FLOWS_TABLE);
  const enrollments = () => knex()(ENROLLMENTS_TABLE);
  return {
    async listFlows(): Promise<FlowRow[]> {
      return (await flows().select('*').orderBy('id', 'asc')).map(toFlow);
    },
    async enabledFlows(): Promise<FlowRow[]> {
      return (await flows().select('*').where('enabled', true).orderBy('id', 'asc')).map(toFlow);
    },
    async getFlow(id: number): Promise<FlowRow | null> {
      const row = await flows().where({ id }).first();
      return row ? toFlow(row) : null;
    },
    async flowByKey(key: string): Promise<FlowRow | null> {
      const row = await flows().where({ key }).first();
      return row ? toFlow(row) : null;
    },
    /** Inserts a flow; null when the key exists. */
    async insertFlow(input: { key: string; name: string; enabled: boolean; definition: FlowDefinition }, now: number): Promise<FlowRow | null> {
      const rows = await flows()
        .insert({ key: input.key, name: input.name, enabled: input.enabled, definition: JSON.stringify(input.definition), version: 1, created_at: now, updated_at: now })
        .onConflict('key')
        .ignore()
        .returning('id');
      if (rows.length === 0) return null;
      const id = num(typeof rows[0] === 'object' ? (rows[0] as { id: unknown }).id : rows[0]);
      return this.getFlow(id);
    },
    /** A changed definition is a new version (enrollments keep their step index). */
    async updateFlow(id: number, patch: { name?: string; enabled?: boolean; definition?: FlowDefinition }, now: number): Promise<FlowRow | null> {
      const set: Record<string, unknown> = { updated_at: now };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.enabled !== undefined) set.enabled = patch.enabled;
      if (patch.definition !== undefined) {
        set.definition = JSON.stringify(patch.definition);
        set.version = knex().raw('version + 1');
      }
      await flows().where({ id }).update(set);
      return this.getFlow(id);
    },
    /** Records that a date trigger ran for `period` (an hour number); false when another process already did. */
    async markScanned(id: number, period: string): Promise<boolean> {
      const changed = await flows()
        .where({ id })
        .where((q) => q.whereNull('scanned_day').orWhere('scanned_day', '<>', period))
        .update({ scanned_day: period });
      return Number(changed) > 0;
    },

    async activeEnrollment(flowId: number, customerId: string): Promise<EnrollmentRow | null> {
      const row = await enrollments().where({ active_key: `${flowId}:${customerId}` }).first();
      return row ? toEnrollment(row) : null;
    },
    /** The newest enrollment start of this customer in this flow (re-entry rules). */
    async lastEnrolledAt(flowId: number, customerId: string): Promise<number | null> {
      const row = await enrollments().where({ flow_id: flowId, customer_id: customerId }).max({ at: 'enrolled_at' }).first();
      return row?.at == null ? null : num(row.at);
    },
    /**
     * Starts an enrollment due now; null when one is active already or `triggerKey` (the
     * touchpoint or date that starts it) started one before: a trigger evaluated twice enrolls once.
     */
    async enroll(flow: FlowRow, customerId: string, context: EnrollmentContext, now: number, triggerKey: string | null = null): Promise<number | null> {
      const rows = await enrollments()
        .insert({
          flow_id: flow.id,
          flow_version: flow.version,
          customer_id: customerId,
          state: 'active',
          step: 0,
          next_run_at: now,
          context: JSON.stringify(context),
          active_key: `${flow.id}:${customerId}`,
          trigger_key: triggerKey ? `${flow.id}:${triggerKey}`.slice(0, 300) : null,
          enrolled_at: now,
          updated_at: now,
        })
        // either unique key (active_key, trigger_key)
        .onConflict()
        .ignore()
        .returning('id');
      if (rows.length === 0) return null;
      return num(typeof rows[0] === 'object' ? (rows[0] as { id: unknown }).id : rows[0]);
    },
    /** how far the trigger catch-up read the touchpoint store */
    async cursor(): Promise<number> {
      const row = await knex()(FLOW_CURSOR_TABLE).where({ name: 'touchpoints' }).first();
      return num(row?.last_id);
    },
    /** Moves the cursor from `from` to `to`; false when another process moved it first. */
    async moveCursor(from: number, to: number, now: number): Promise<boolean> {
      return Number(await knex()(FLOW_CURSOR_TABLE).where({ name: 'touchpoints', last_id: from }).update({ last_id: to, updated_at: now })) === 1;
    },
    async activeOfCustomer(customerId: string): Promise<EnrollmentRow[]> {
      return (await enrollments().select('*').where({ customer_id: customerId, state: 'active' })).map(toEnrollment);
    },
    async setContext(id: number, context: EnrollmentContext, now: number): Promise<void> {
      await enrollments().where({ id, state: 'active' }).update({ context: JSON.stringify(context), updated_at: now });
    },

    /** Claims due active enrollments (lease in real time: a crashed scheduler's claims expire). */
    async claimDue(dueAt: number, claim: string, leaseMs: number, realNow: number, limit: number): Promise<EnrollmentRow[]> {
      const ids = (
        await enrollments()
          .select('id')
          .where('state', 'active')
          .where('next_run_at', '<=', dueAt)
          .where((q) => q.whereNull('lease_until').orWhere('lease_until', '<', realNow))
          .orderBy('next_run_at', 'asc')
          .limit(limit)
      ).map((r: { id: unknown }) => num(r.id));
      if (ids.length === 0) return [];
      await enrollments()
        .whereIn('id', ids)
        .where('state', 'active')
        .where((q) => q.whereNull('lease_until').orWhere('lease_until', '<', realNow))
        .update({ claim, lease_until: realNow + leaseMs });
      return (await enrollments().select('*').whereIn('id', ids).where({ claim })).map(toEnrollment);
    },
    /** Moves a claimed enrollment on and lets go of it. */
    async release(id: number, claim: string, patch: { step: number; nextRunAt: number | null; context?: EnrollmentContext }, now: number): Promise<void> {
      const set: Record<string, unknown> = { step: patch.step, next_run_at: patch.nextRunAt, claim: null, lease_until: null, updated_at: now };
      if (patch.context) set.context = JSON.stringify(patch.context);
      await enrollments().where({ id, claim }).update(set);
    },
    /** Ends an active enrollment; false when it had ended already. */
    async finish(id: number, state: Exclude<EnrollmentState, 'active'>, reason: string, step: number, now: number): Promise<boolean> {
      const changed = await enrollments()
        .where({ id, state: 'active' })
        .update({ state, reason: reason.slice(0, 200), step, active_key: null, next_run_at: null, claim: null, lease_until: null, finished_at: now, updated_at: now });
      return Number(changed) > 0;
    },

    async countsByFlow(): Promise<Map<number, Record<EnrollmentState, number>>> {
      const out = new Map<number, Record<EnrollmentState, number>>();
      for (const r of (await enrollments().select('flow_id', 'state').count({ n: '*' }).groupBy('flow_id', 'state')) as Array<Record<string, unknown>>) {
        const counts = out.get(num(r.flow_id)) ?? { active: 0, completed: 0, exited: 0 };
        counts[r.state as EnrollmentState] = num(r.n);
        out.set(num(r.flow_id), counts);
      }
      return out;
    },
    async listEnrollments(flowId: number, opts: { state?: EnrollmentState; limit: number; offset: number }): Promise<EnrollmentRow[]> {
      const q = enrollments().select('*').where({ flow_id: flowId }).orderBy('id', 'desc').limit(opts.limit).offset(opts.offset);
      if (opts.state) q.where({ state: opts.state });
      return (await q).map(toEnrollment);
    },

    async bump(flowId: number, step: number, metric: StepMetric): Promise<void> {
      await knex()(STEP_STATS_TABLE)
        .insert({ flow_id: flowId, step, metric, count: 1 })
        .onConflict(['flow_id', 'step', 'metric'])
        .merge({ count: knex().raw('?? + 1', [`${STEP_STATS_TABLE}.count`]) });
    },
    async stepStats(): Promise<Map<number, Array<{ step: number; metric: StepMetric; count: number }>>> {
      const out = new Map<number, Array<{ step: number; metric: StepMetric; count: number }>>();
      for (const r of await knex()(STEP_STATS_TABLE).select('*').orderBy(['flow_id', 'step'])) {
        const list = out.get(num(r.flow_id)) ?? [];
        list.push({ step: num(r.step), metric: r.metric, count: num(r.count) });
        out.set(num(r.flow_id), list);
      }
      return out;
    },
  };
}

export type FlowRepository = ReturnType<typeof createFlowRepository>;
