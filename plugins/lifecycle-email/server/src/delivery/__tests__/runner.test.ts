import { describe, expect, it } from 'vitest';
import { batches, defaultJobId } from '../runner';

describe('default job ids', () => {
  it('group consecutive campaign rows into jobs of at most the batch size, per lane', () => {
    const ids = Array.from({ length: 120 }, (_, i) => 1_000 + i);
    const jobs = new Map<string, number>();
    for (const id of ids) jobs.set(defaultJobId('bulk', id, 50), (jobs.get(defaultJobId('bulk', id, 50)) ?? 0) + 1);
    expect([...jobs.values()].every((n) => n <= 50)).toBe(true);
    expect([...jobs.values()].reduce((a, b) => a + b, 0)).toBe(120);
    expect(jobs.size).toBe(3);
    expect(defaultJobId('transactional', 7, 1)).toBe('t-7');
    expect(defaultJobId('bulk', 7, 50)).not.toBe(defaultJobId('transactional', 7, 50));
  });

  it('batches split without losing ids', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
