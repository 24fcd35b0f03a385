import { workerScript } from '@moat/plugin-kit';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { TemplateRejectedError } from './errors';
import { type CompileJob, deserializeError, type JobResult, type WorkerReply } from './protocol';

export interface CompilePoolOptions {
  /** worker threads (each compiles one template at a time) */
  size: number;
  /** a job running longer is stopped: its worker is terminated and replaced */
  timeoutMs: number;
  /** jobs waiting for a worker beyond this are refused (a flood of previews) */
  maxQueue: number;
  /** heap of one worker; a template needing more is refused, not the server's memory */
  maxHeapMb: number;
  /** compiled templates each worker keeps */
  maxCachedPerWorker: number;
}

/** Too many compiles waiting: the caller answers 429, the server stays responsive. */
export class PoolBusyError extends Error {
  constructor(waiting: number) {
    super(`Too many template compiles waiting (${waiting}); try again shortly`);
    this.name = 'PoolBusyError';
  }
}

interface Pending {
  id: number;
  job: CompileJob;
  timeoutMs: number;
  resolve(value: JobResult): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** the worker loaded MJML and said so: loading (~0.5 s) does not count against a job's time */
  ready: boolean;
  current?: Pending;
  timer?: NodeJS.Timeout;
}


/**
 * A few worker threads for compiling templates, with a time limit per job. A worker that
 * overruns is terminated (the only way to stop synchronous JavaScript) and a fresh one takes
 * its place; the job fails with a TemplateRejectedError('timeout'). Workers start on first
 * use and are unref'd, so an idle pool never keeps the process alive.
 */
export class CompilePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;
  /** workers replaced after a timeout or crash (tests and diagnostics) */
  restarts = 0;

  constructor(private readonly options: CompilePoolOptions) {}

  /** `timeoutMs` overrides the pool's time limit for this job. */
  run(job: CompileJob, timeoutMs = this.options.timeoutMs): Promise<JobResult> {
    if (this.closed) return Promise.reject(new Error('compile pool is closed'));
    if (this.queue.length >= this.options.maxQueue) return Promise.reject(new PoolBusyError(this.queue.length));
    return new Promise<JobResult>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, job, timeoutMs, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * The workers' cache sizes: one stats job per started worker. Jobs go to idle workers, so
   * idle workers answer once each; with a busy one, another may answer twice.
   */
  async stats(): Promise<Array<{ cacheSize: number; cacheMax: number }>> {
    return Promise.all(this.slots.map(() => this.run({ kind: 'stats' }) as Promise<{ cacheSize: number; cacheMax: number }>));
  }

  get workers(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('compile pool is closed'));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        clearTimeout(slot.timer);
        slot.current?.reject(new Error('compile pool is closed'));
        return slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      if (this.slots.length < this.options.size && this.slots.every((s) => s.current || !s.ready)) this.spawn();
      const slot = this.slots.find((s) => s.ready && !s.current);
      if (!slot) return;
      const pending = this.queue.shift()!;
      slot.current = pending;
      const limit = pending.timeoutMs;
      slot.timer = setTimeout(() => this.fail(slot, new TemplateRejectedError('timeout', `Template took too long to compile (limit ${limit} ms)`)), limit);
      slot.worker.postMessage({ id: pending.id, job: pending.job });
    }
  }

  private spawn(): Slot {
    // the built worker (dist/workers/render) or, under vitest, worker.ts through tsx
    const script = workerScript(__dirname, 'render', join(__dirname, 'worker.ts'));
    const worker = new Worker(script.code, {
      eval: script.eval,
      workerData: { maxCached: this.options.maxCachedPerWorker },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb },
    });
    worker.unref();
    const slot: Slot = { worker, ready: false };
    worker.on('message', (reply: WorkerReply | 'ready') => {
      if (reply === 'ready') {
        slot.ready = true;
        return this.dispatch();
      }
      if (slot.current?.id !== reply.id) return;
      const pending = slot.current;
      clearTimeout(slot.timer);
      slot.current = undefined;
      if (reply.ok) pending.resolve(reply.value);
      else pending.reject(deserializeError(reply.error));
      this.dispatch();
    });
    // out of memory (resourceLimits) or a crash: the job fails, a new worker replaces this one
    worker.on('error', (error: Error & { code?: string }) => {
      const tooBig = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(slot, tooBig ? new TemplateRejectedError('size', 'Template needs too much memory to compile') : error);
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) this.fail(slot, new Error('template compile worker exited'));
    });
    this.slots.push(slot);
    return slot;
  }

  /** Ends the slot's job with `error`, terminates its worker and starts a replacement. */
  private fail(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    clearTimeout(slot.timer);
    this.restarts += 1;
    void slot.worker.terminate();
    slot.current?.reject(error);
    slot.current = undefined;
    // a worker that cannot even start would be respawned forever: fail the waiting jobs instead
    if (!slot.ready) for (const p of this.queue.splice(0)) p.reject(error);
    if (!this.closed) this.dispatch();
  }
}
