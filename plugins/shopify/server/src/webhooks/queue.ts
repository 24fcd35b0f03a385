import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';

/** Processes one recorded delivery by its webhook id; throws to be retried. */
export type Processor = (webhookId: string, attempt: number, finalAttempt: boolean) => Promise<void>;

/** What carries webhook ids from the receiving request to a worker. */
export interface WebhookQueue {
  readonly name: 'bullmq' | 'local';
  /** Adds a job for the delivery; a delivery already waiting or running is not added twice. */
  enqueue(webhookId: string): Promise<void>;
  /** Runs the processor in this process (web instances with MOAT_WORKERS=0 do not). */
  startWorkers(process: Processor): void;
  /** Resolves when no job of this queue is waiting, delayed or running. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface QueueOptions {
  attempts: number;
  /** first retry's delay; each further one doubles it */
  backoffMs: number;
  concurrency: number;
  log: { error(msg: string): void; warn(msg: string): void };
}

/** A payload that can never be processed: no retries (BullMQ's UnrecoverableError). */
export class PermanentError extends UnrecoverableError {}

const QUEUE = 'moat-shopify-webhooks';

/**
 * BullMQ on Redis: the job carries the webhook id only and uses it as its jobId, so a
 * delivery Shopify sends again, or the reconciler re-enqueues, is one job while it waits.
 * Jobs are removed when they end: the delivery row is the record, and a retry from the admin
 * adds the same jobId again.
 */
export function createBullmqQueue(o: QueueOptions & { redisUrl: string; prefix: string }): WebhookQueue {
  // workers need maxRetriesPerRequest: null; the producer fails fast while Redis is down
  // (the row stays 'received' and the reconciler enqueues it once Redis is back)
  const connection = new IORedis(o.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  const producer = new IORedis(o.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  for (const c of [connection, producer]) c.on('error', (error) => o.log.error(`[shopify] webhook queue: Redis: ${error.message}`));
  const queue = new Queue(QUEUE, { connection: producer, prefix: o.prefix });
  let worker: Worker | undefined;

  return {
    name: 'bullmq',
    async enqueue(webhookId) {
      await queue.add('process', { webhookId }, { jobId: `w-${webhookId}`, attempts: o.attempts, backoff: { type: 'exponential', delay: o.backoffMs }, removeOnComplete: true, removeOnFail: true });
    },
    startWorkers(process) {
      worker = new Worker(
        QUEUE,
        async (job: Job<{ webhookId: string }>) => process(job.data.webhookId, job.attemptsMade + 1, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
        { connection, prefix: o.prefix, concurrency: o.concurrency },
      );
      worker.on('failed', (job, error) => o.log.warn(`[shopify] webhook ${job?.data.webhookId} attempt ${(job?.attemptsMade ?? 0)} failed: ${error.message}`));
      worker.on('error', (error) => o.log.error(`[shopify] webhook worker: ${error.message}`));
    },
    async idle() {
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(counts).every((n) => n === 0)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      // Worker.close() lets the jobs in hand finish
      await worker?.close();
      await queue.close();
      for (const c of [connection, producer]) await c.quit().catch(() => c.disconnect());
    },
  };
}

/**
 * In process, for the quick start without Redis: the same processor, attempts and backoff,
 * run after the response. Jobs live in memory only; the reconciler finds what a restart lost.
 */
export function createLocalQueue(o: QueueOptions): WebhookQueue {
  const pending = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let processor: Processor | undefined;
  let active = 0;
  let closed = false;
  const ready: string[] = [];

  const pump = () => {
    while (processor && !closed && active < o.concurrency && ready.length) {
      const [webhookId] = ready.splice(0, 1);
      active++;
      void run(webhookId, 1).finally(() => {
        active--;
        pump();
      });
    }
  };
  async function run(webhookId: string, attempt: number): Promise<void> {
    try {
      await processor?.(webhookId, attempt, attempt >= o.attempts);
      pending.delete(webhookId);
    } catch (error) {
      if (error instanceof PermanentError || attempt >= o.attempts || closed) {
        pending.delete(webhookId);
        return;
      }
      o.log.warn(`[shopify] webhook ${webhookId} attempt ${attempt} failed: ${(error as Error).message}`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        active++;
        void run(webhookId, attempt + 1).finally(() => {
          active--;
          pump();
        });
      }, o.backoffMs * 2 ** (attempt - 1));
      timers.add(timer);
    }
  }
  return {
    name: 'local',
    async enqueue(webhookId) {
      if (closed || pending.has(webhookId)) return;
      pending.add(webhookId);
      ready.push(webhookId);
      setImmediate(pump);
    },
    startWorkers(process) {
      processor = process;
      setImmediate(pump);
    },
    async idle() {
      while (processor && pending.size > 0) await new Promise((r) => setTimeout(r, 20));
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      while (active > 0) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
