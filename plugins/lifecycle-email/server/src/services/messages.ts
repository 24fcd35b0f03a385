import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import type { EnqueueInput, EnqueueResult, Lane, MessageRow, MessageStatus } from '../delivery/types';
import { getService } from '../utils/get-service';

const enqueueSchema = z.object({
  idempotencyKey: z.string().min(1).max(200),
  lane: z.enum(['transactional', 'bulk']),
  kind: z.enum(['transactional', 'marketing']),
  to: z.string().email().max(254),
  customerId: z.string().max(64).nullish(),
  templateKey: z.string().min(1).max(128),
  locale: z.string().min(2).max(35).nullish(),
  data: z.record(z.string(), z.unknown()).optional(),
  sendAt: z.union([z.date(), z.number().int().nonnegative()]).optional(),
  campaignId: z.string().max(64).nullish(),
  flowId: z.string().max(64).nullish(),
});

function check(input: EnqueueInput, index?: number): EnqueueInput {
  const parsed = enqueueSchema.safeParse(input);
  if (parsed.success) return input;
  const where = index === undefined ? '' : `message ${index}: `;
  throw new errors.ValidationError(`${where}${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

/**
 * The contract flows and campaigns send through (ARCHITECTURE.md, "Email delivery"): write
 * the intent to the message log (idempotent by key), then hand the new row ids to a lane.
 * Delivery, retries, suppression and consent happen in the workers.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const delivery = () => getService(strapi, 'delivery');

  const dueAt = (m: EnqueueInput, now: number) => (m.sendAt == null ? now : m.sendAt instanceof Date ? m.sendAt.getTime() : m.sendAt);

  /**
   * The jobs of one enqueue call, chosen before the insert so each row is written with its job
   * id: inputs grouped by lane and due time, in batches of the lane's size. Jobs of their own
   * (never an id derived from row ids): another call's rows can never fall into a job BullMQ
   * already holds (it ignores a job id it has), whatever the ids or delays.
   */
  function planJobs(inputs: EnqueueInput[], now: number) {
    const runner = delivery().runner();
    const call = randomUUID().replace(/-/g, '').slice(0, 12);
    const groups = new Map<string, { n: number; lane: Lane; at: number; jobs: Array<{ jobId: string; keys: string[] }> }>();
    const jobOf = new Map<string, string>();
    for (const m of inputs) {
      const at = dueAt(m, now);
      const key = `${m.lane}:${at}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { n: groups.size, lane: m.lane, at, jobs: [] }));
      let job = g.jobs[g.jobs.length - 1];
      if (!job || job.keys.length >= runner.batchSize[m.lane]) g.jobs.push((job = { jobId: `${m.lane[0]}-${call}-${g.n}-${g.jobs.length}`, keys: [] }));
      job.keys.push(m.idempotencyKey);
      jobOf.set(m.idempotencyKey, job.jobId);
    }
    return { groups: [...groups.values()], jobOf: runner.name === 'bullmq' ? jobOf : null };
  }

  async function dispatchNew(plan: ReturnType<typeof planJobs>, created: Map<string, number>, now: number): Promise<void> {
    const { repo, runner } = delivery();
    for (const g of plan.groups) {
      const jobs = g.jobs.map((j) => ({ jobId: j.jobId, ids: j.keys.map((k) => created.get(k)).filter((id): id is number => id !== undefined) })).filter((j) => j.ids.length > 0);
      if (jobs.length === 0) continue;
      try {
        await runner().dispatchJobs(g.lane, jobs, g.at - now);
      } catch (error) {
        // the intent is logged: the rows stay "pending" and the reconciler carries them later
        strapi.log.error(`lifecycle-email: ${jobs.reduce((n, j) => n + j.ids.length, 0)} message(s) logged but not queued yet: ${(error as Error).message}`);
        continue;
      }
      await repo.markQueued(
        jobs.flatMap((j) => j.ids),
        Date.now(),
      );
    }
  }

  return {
    /**
     * Logs one intended send and queues it. The same idempotency key twice is one message.
     * @throws ValidationError naming the bad field
     */
    async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
      const [result] = await this.enqueueMany([input]);
      return result;
    },

    /**
     * Many sends at once (a campaign of 100K): multi-row inserts, then one job per batch.
     * Results are in input order.
     * @throws ValidationError naming the first bad message
     */
    async enqueueMany(inputs: EnqueueInput[]): Promise<EnqueueResult[]> {
      inputs.forEach(check);
      const now = Date.now();
      const { repo } = delivery();
      const plan = planJobs(inputs, now);
      const created = await repo.insertMany(inputs, now, { jobId: plan.jobOf ? (m) => plan.jobOf?.get(m.idempotencyKey) ?? null : undefined });
      await dispatchNew(plan, created, now);
      const missing = inputs.filter((m) => !created.has(m.idempotencyKey)).map((m) => m.idempotencyKey);
      const existing = missing.length > 0 ? await repo.idsByKeys(missing) : new Map<string, number>();
      return inputs.map((m) => {
        const id = created.get(m.idempotencyKey);
        return id !== undefined ? { id, created: true } : { id: existing.get(m.idempotencyKey) ?? 0, created: false };
      });
    },

    async get(id: number): Promise<MessageRow | null> {
      return delivery().repo.get(id);
    },

    async byKey(idempotencyKey: string): Promise<MessageRow | null> {
      return delivery().repo.byKey(idempotencyKey);
    },

    /** the admin's message log: newest first, filtered by text and status */
    async search(filter: { q?: string; status?: MessageStatus; before?: number; limit?: number }): Promise<MessageRow[]> {
      return delivery().repo.search({ ...filter, limit: Math.min(Math.max(filter.limit ?? 50, 1), 200) });
    },

    /**
     * Sends a failed message again (an admin's retry after fixing the cause): a fresh attempt
     * budget, queued on its lane now. The worker still checks suppression and consent.
     * @returns false when the message is not in "failed" (sent, queued, skipped… are left alone)
     */
    async retry(id: number): Promise<boolean> {
      const { repo, runner } = delivery();
      const now = Date.now();
      if (!(await repo.resetFailed(id, now))) return false;
      const row = await repo.get(id);
      if (!row) return false;
      try {
        // a job id of its own: the row's first job (same default id) may still be known to BullMQ
        const [group] = await runner().dispatch(row.lane, [id], 0, `-r${Date.now().toString(36)}`);
        if (group?.jobId) await repo.repoint([id], null, group.jobId, Date.now());
        await repo.markQueued([id], Date.now());
      } catch (error) {
        // pending: the reconciler queues it later
        strapi.log.error(`lifecycle-email: retry of message ${id} logged but not queued yet: ${(error as Error).message}`);
      }
      return true;
    },

    /** counts by status, optionally for one campaign (progress bars) */
    async counts(filter: { campaignId?: string } = {}): Promise<Record<string, number>> {
      return delivery().repo.countByStatus(filter);
    },
  };
};
