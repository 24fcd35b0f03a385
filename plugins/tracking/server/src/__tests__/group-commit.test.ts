import { describe, expect, it } from 'vitest';
import { ClosedError, GroupCommitter, PartialFlushError } from '../collect/group-commit';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GroupCommitter', () => {
  it('writes what arrives together in one flush and resolves each waiter after it', async () => {
    const flushes: number[][] = [];
    const gc = new GroupCommitter<number>(async (items) => {
      await sleep(5);
      flushes.push(items);
    }, { windowMs: 0, maxItems: 100 });
    const done: number[] = [];
    await Promise.all([1, 2, 3].map((n) => gc.submit(n).then(() => done.push(n))));
    expect(flushes).toEqual([[1, 2, 3]]);
    expect(done.sort()).toEqual([1, 2, 3]);
    expect(gc.stats).toMatchObject({ items: 3, batches: 1 });
  });

  it('never overlaps flushes: what arrives during a flush goes in the next one', async () => {
    let running = 0;
    let maxRunning = 0;
    const flushes: number[][] = [];
    const gc = new GroupCommitter<number>(async (items) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(10);
      flushes.push(items);
      running--;
    }, { windowMs: 0, maxItems: 100 });
    const first = gc.submit(1);
    await sleep(2);
    const later = [gc.submit(2), gc.submit(3)];
    await Promise.all([first, ...later]);
    expect(maxRunning).toBe(1);
    expect(flushes).toEqual([[1], [2, 3]]);
  });

  it('caps a batch at maxItems', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommitter<number>(async (items) => {
      sizes.push(items.length);
    }, { windowMs: 50, maxItems: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
  });

  it('rejects every waiter of a failed flush, and keeps working after', async () => {
    let fail = true;
    const gc = new GroupCommitter<number>(async () => {
      if (fail) throw new Error('disk full');
    }, { windowMs: 0, maxItems: 10 });
    const results = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(gc.submit(3)).resolves.toBeUndefined();
    expect(gc.stats.failures).toBe(1);
  });

  it('close() flushes everything submitted and refuses new work', async () => {
    const written: number[] = [];
    const gc = new GroupCommitter<number>(async (items) => {
      await sleep(3);
      written.push(...items);
    }, { windowMs: 20, maxItems: 3 });
    const pending = Array.from({ length: 8 }, (_, i) => gc.submit(i));
    await gc.close();
    expect(written.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await Promise.all(pending);
    await expect(gc.submit(9)).rejects.toBeInstanceOf(ClosedError);
  });

  it('runs a synchronous flush at maxItems inside submit, and the rest of the turn on the next immediate', async () => {
    const flushes: number[][] = [];
    const gc = new GroupCommitter<number>((items) => {
      flushes.push(items);
    }, { windowMs: 0, maxItems: 2 });
    const answered: number[] = [];
    const first = [gc.submit(1), gc.submit(2)].map((p, i) => p.then(() => answered.push(i + 1)));
    // the batch is full: written before submit returned, answered on the next microtask
    expect(flushes).toEqual([[1, 2]]);
    const third = gc.submit(3).then(() => answered.push(3));
    expect(flushes).toHaveLength(1);
    await Promise.all(first);
    expect(answered).toEqual([1, 2]);
    await third;
    expect(flushes).toEqual([[1, 2], [3]]);
    expect(gc.stats).toMatchObject({ items: 3, batches: 2, failures: 0 });
  });

  it('rejects the waiters of a synchronous flush that throws, and flushes the next batch', async () => {
    let fail = true;
    const gc = new GroupCommitter<number>(() => {
      if (fail) throw new Error('SQLITE_IOERR');
    }, { windowMs: 0, maxItems: 2 });
    const results = await Promise.allSettled([gc.submit(1), gc.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(gc.submit(3)).resolves.toBeUndefined();
    expect(gc.stats).toMatchObject({ items: 1, batches: 1, failures: 1 });
  });

  it('flushes at flushAt, and takes up to maxItems of what waited during an async flush', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommitter<number>(async (items) => {
      sizes.push(items.length);
      await sleep(10);
    }, { windowMs: 0, maxItems: 8, flushAt: 2 });
    const first = [gc.submit(0), gc.submit(1)];
    expect(sizes).toEqual([2]); // flushAt reached: started at once
    const waited = Array.from({ length: 10 }, (_, i) => gc.submit(i + 2));
    await Promise.all([...first, ...waited]);
    expect(sizes).toEqual([2, 8, 2]);
  });

  it('a partial failure rejects only the items it names; the rest of the batch succeeds', async () => {
    const gc = new GroupCommitter<number>(async (items) => {
      const bad = items.map((n, i) => [i, n] as const).filter(([, n]) => n === 13);
      if (bad.length) throw new PartialFlushError(new Map(bad.map(([i]) => [i, new Error('unlucky')])));
    }, { windowMs: 0, maxItems: 100 });
    const results = await Promise.allSettled([11, 12, 13, 14].map((n) => gc.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((results[2] as PromiseRejectedResult).reason.message).toBe('unlucky');
    expect(gc.stats).toMatchObject({ items: 3, batches: 1, failures: 1 });
  });
});
