import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { FlowEvent } from './engine';

export interface FlowCarrier {
  /** hands touchpoints to trigger evaluation; returns at once */
  push(events: FlowEvent[]): Promise<void>;
  startWorker(): Promise<void>;
  /** resolves when every pushed batch was evaluated (local mode; tests and shutdown) */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export interface FlowCarrierOptions {
  mode: 'local' | 'bullmq';
  redisUrl: string;
  prefix: string;
  handle(events: FlowEvent[]): Promise<unknown>;
  log: { error(msg: string): void };
}

const QUEUE = 'moat-flow-events';

/**
 * Carries stored touchpoints to trigger evaluation outside the request that stored them: a
 * BullMQ job (REDIS_URL: any worker process evaluates, one batch at a time per process) or,
 * without Redis, an in-process chain that runs after the current work (the local quick start).
 */
export function createFlowCarrier(o: FlowCarrierOptions): FlowCarrier {
  if (o.mode === 'local') {
    let chain: Promise<unknown> = Promise.resolve();
    return {
      async push(events) {
        chain = chain.then(() => o.handle(events)).catch((error: Error) => o.log.error(`lifecycle-email: flow triggers: ${error.message}`));
      },
      async startWorker() {},
      async idle() {
        for (let last: Promise<unknown> | undefined; last !== chain; ) await (last = chain);
      },
      async close() {
        await this.idle();
      },
    };
  }
  // producers fail fast while Redis is down (the touchpoints stay stored; their flows miss them)
  const producer = new IORedis(o.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  let connection: IORedis | undefined;
  let worker: Worker | undefined;
  producer.on('error', (error) => o.log.error(`lifecycle-email: flow events Redis: ${error.message}`));
  const queue = new Queue(QUEUE, { connection: producer, prefix: o.prefix });
  return {
    async push(events) {
      await queue.add('touchpoints', { events }, { removeOnComplete: true, removeOnFail: 1000, attempts: 3, backoff: { type: 'exponential', delay: 1_000 } });
    },
    async startWorker() {
      connection = new IORedis(o.redisUrl, { maxRetriesPerRequest: null });
      connection.on('error', (error) => o.log.error(`lifecycle-email: flow events Redis: ${error.message}`));
      // one batch at a time per process keeps a cart_add and its order in order
      worker = new Worker(QUEUE, async (job) => o.handle((job.data as { events: FlowEvent[] }).events), { connection, prefix: o.prefix, concurrency: 1 });
      worker.on('failed', (job, error) => o.log.error(`lifecycle-email: flow events job ${job?.id}: ${error.message}`));
    },
    async idle() {
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await worker?.close();
      await queue.close();
      for (const c of [connection, producer]) if (c) await c.quit().catch(() => c.disconnect());
    },
  };
}
