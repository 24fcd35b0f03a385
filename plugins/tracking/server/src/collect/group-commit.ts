/**
 * Group commit: callers submit work and wait; work arriving within `windowMs` of the first
 * waiter (or until `maxItems`) is flushed together by one call, so N requests cost one
 * transaction and one multi-row INSERT instead of N. Flushes never overlap, which also makes
 * the flush function the single writer of per-visitor session state.
 */
export interface GroupCommitOptions {
  windowMs: number;
  /** the most items one flush takes */
  maxItems: number;
  /** this many waiting items flush at once instead of waiting for the window (default
   * maxItems); what arrives during an asynchronous flush still goes out together, up to
   * maxItems, in the next */
  flushAt?: number;
}

interface Waiter<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Thrown by a flush function when only some items failed (by index in the batch it was
 * given): those callers get the error, every other caller in the batch succeeds.
 */
export class PartialFlushError extends Error {
  constructor(readonly failed: Map<number, unknown>) {
    super(`${failed.size} item(s) of the batch failed`);
  }
}

export class ClosedError extends Error {
  constructor() {
    super('the collector is shutting down');
  }
}

export class GroupCommitter<T> {
  private pending: Waiter<T>[] = [];
  /** the scheduled flush: a timeout (windowMs > 0) or an immediate (windowMs 0) */
  private scheduled: { cancel(): void } | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** items written and batches flushed, for benchmarks and tests */
  readonly stats = { items: 0, batches: 0, failures: 0 };

  /**
   * flushFn may finish synchronously (returns nothing): the batch's waiters are then
   * resolved at once, within the event-loop turn that filled the batch.
   */
  constructor(
    private readonly flushFn: (items: T[]) => Promise<void> | void,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Resolves once the item's batch is durable; rejects if that batch failed. */
  submit(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new ClosedError());
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= (this.options.flushAt ?? this.options.maxItems)) this.kick();
      else if (!this.scheduled && !this.flushing) this.schedule();
    });
  }

  /**
   * windowMs 0: flush once this I/O phase has queued what it read (setImmediate); under load
   * flushAt cuts the batch sooner, so answers leave while the turn goes on reading.
   */
  private schedule() {
    if (this.options.windowMs > 0) {
      const timeout = setTimeout(() => this.kick(), this.options.windowMs);
      this.scheduled = { cancel: () => clearTimeout(timeout) };
    } else {
      const immediate = setImmediate(() => this.kick());
      this.scheduled = { cancel: () => clearImmediate(immediate) };
    }
  }

  private kick() {
    this.scheduled?.cancel();
    this.scheduled = null;
    while (!this.flushing && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.options.maxItems);
      let result: Promise<void> | void;
      try {
        result = this.flushFn(batch.map((w) => w.item));
      } catch (error) {
        this.fail(batch, error);
        continue;
      }
      if (!result) {
        this.succeed(batch);
        continue;
      }
      this.flushing = result.then(
        () => this.succeed(batch),
        (error) => this.fail(batch, error),
      );
      void this.flushing.finally(() => {
        this.flushing = null;
        // whatever arrived while we were writing goes out now: it already waited
        if (this.pending.length > 0) this.kick();
      });
    }
  }

  private succeed(batch: Waiter<T>[]) {
    this.stats.items += batch.length;
    this.stats.batches += 1;
    for (const w of batch) w.resolve();
  }

  private fail(batch: Waiter<T>[], error: unknown) {
    if (error instanceof PartialFlushError) {
      this.stats.failures += error.failed.size;
      this.succeed(batch.filter((_, i) => !error.failed.has(i)));
      for (const [i, cause] of error.failed) batch[i]?.reject(cause);
      return;
    }
    this.stats.failures += 1;
    for (const w of batch) w.reject(error);
  }

  /** Stops accepting work and flushes everything already submitted. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.pending.length > 0 || this.flushing) {
      if (this.flushing) await this.flushing;
      else this.kick();
    }
  }
}
