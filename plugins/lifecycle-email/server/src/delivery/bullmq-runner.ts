import { type Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { Deliverer, Outcome } from './deliver';
import { batches, type DeliveryRunner, type Dispatched, defaultJobId } from './runner';
import { LANES, type Lane } from './types';

export interface BullmqRunnerOptions {
  redisUrl: string;
  prefix: string;
  /** ids per job: a bulk job claims its rows in one UPDATE */
  batchSize: Record<Lane, number>;
  /** jobs at once per worker process */
  concurrency: Record<Lane, number>;
  /** messages per second per lane across all workers (0: unlimited); BullMQ's limiter counts jobs */
  ratePerSecond: number;
  deliverer: Deliverer;
  /** rows that failed transiently, to be carried again at their retry time */
  onRetry(outcomes: Extract<Outcome, { status: 'retry' }>[]): Promise<void>;
  log: { error(msg: string): void };
}

const queueName = (lane: Lane) => `moat-email-${lane}`;

export function createBullmqRunner(o: BullmqRunnerOptions): DeliveryRunner {
  // BullMQ workers need maxRetriesPerRequest: null (blocking commands must not time out)
  const connection = new IORedis(o.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  // enqueueing must not hang while Redis is down: its commands fail fast, the rows stay
  // pending in the message log and the reconciler carries them once Redis is back
  const producer = new IORedis(o.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  for (const c of [connection, producer]) c.on('error', (error) => o.log.error(`lifecycle-email: Redis: ${error.message}`));
  const queues = Object.fromEntries(LANES.map((lane) => [lane, new Queue(queueName(lane), { connection: producer, prefix: o.prefix })])) as Record<Lane, Queue>;
  const workers: Worker[] = [];

  const process = async (job: Job<{ ids: number[] }>) => {
    const outcomes = await o.deliverer.deliver(job.data.ids);
    const retries = outcomes.filter((x): x is Extract<Outcome, { status: 'retry' }> => x.status === 'retry');
    if (retries.length > 0) await o.onRetry(retries);
    return { sent: outcomes.filter((x) => x.status === 'sent').length };
  };

  // one addBulk per 1,000 jobs: a 100K campaign is a few round trips, each of a bounded size
  const addJobs = async (lane: Lane, jobs: Dispatched[], delayMs: number) => {
    for (let i = 0; i < jobs.length; i += 1_000) {
      await queues[lane].addBulk(
        jobs.slice(i, i + 1_000).map((g) => ({
          name: 'send',
          data: { ids: g.ids },
          opts: { jobId: g.jobId ?? undefined, delay: Math.max(0, delayMs), removeOnComplete: true, removeOnFail: 1000 },
        })),
      );
    }
  };

  return {
    name: 'bullmq',
    async dispatch(lane, ids, delayMs = 0, jobIdSuffix = '') {
      let groups: Dispatched[];
      if (jobIdSuffix) {
        groups = batches(ids, o.batchSize[lane]).map((g) => ({ ids: g, jobId: `${lane[0]}-${g[0]}-${g.length}${jobIdSuffix}` }));
      } else {
        const byJob = new Map<string, number[]>();
        for (const id of ids) {
          const jobId = defaultJobId(lane, id, o.batchSize[lane]);
          const g = byJob.get(jobId);
          if (g) g.push(id);
          else byJob.set(jobId, [id]);
        }
        groups = [...byJob].map(([jobId, g]) => ({ jobId, ids: g }));
      }
      await addJobs(lane, groups, delayMs);
      return groups;
    },
    batchSize: o.batchSize,
    async dispatchJobs(lane, jobs, delayMs) {
      await addJobs(lane, jobs, delayMs);
    },
    defaultJobId(lane, id) {
      return defaultJobId(lane, id, o.batchSize[lane]);
    },
    async jobAlive(lane, jobId) {
      const state = await queues[lane].getJobState(jobId);
      return state !== 'unknown' && state !== 'failed' && state !== 'completed';
    },
    async startWorkers() {
      for (const lane of LANES) {
        const perJob = o.batchSize[lane];
        const limiter = o.ratePerSecond > 0 ? { max: Math.max(1, Math.floor(o.ratePerSecond / perJob)), duration: 1000 } : undefined;
        const worker = new Worker(queueName(lane), process, { connection, prefix: o.prefix, concurrency: o.concurrency[lane], limiter });
        worker.on('failed', (job, error) => o.log.error(`lifecycle-email: ${lane} job ${job?.id} failed: ${error.message}`));
        workers.push(worker);
      }
    },
    async close() {
      // Worker.close() waits for the jobs in hand: no send is cut off mid-way
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      for (const c of [connection, producer]) await c.quit().catch(() => c.disconnect());
    },
  };
}
