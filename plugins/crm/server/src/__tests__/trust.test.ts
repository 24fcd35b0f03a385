import { describe, expect, it } from 'vitest';
import { mergeTraits, unverifiedOf } from '../services/trust';

describe('whose word a trait is', () => {
  it('an unverified claim fills a gap and is marked; it never replaces a value', () => {
    const { patch, unverified } = mergeTraits({ email: 'a@x.com', name: 'Alice' }, new Set(), { name: 'Mallory', phone: '+1 555' }, false);
    expect(patch).toEqual({ phone: '+1 555' });
    expect([...unverified]).toEqual(['phone']);
  });

  it('a trusted source replaces an unverified value and confirms an equal one', () => {
    const existing = { email: 'a@x.com', name: 'Mallory', phone: '+1 555' };
    const { patch, unverified } = mergeTraits(existing, new Set(['name', 'phone'] as const), { name: 'Alice', phone: '+1 555' }, true);
    expect(patch).toEqual({ name: 'Alice' });
    expect(unverified.size).toBe(0);
  });

  it('a trusted source does not replace a trusted value', () => {
    const { patch } = mergeTraits({ name: 'Alice' }, new Set(), { name: 'Alicia' }, true);
    expect(patch).toEqual({});
  });

  it('reads whatever the JSON column holds', () => {
    expect([...unverifiedOf(['name', 'bogus', 3])]).toEqual(['name']);
    expect(unverifiedOf(null).size).toBe(0);
    expect(unverifiedOf({ name: true }).size).toBe(0);
  });
});

describe('newer values win, older ones never overwrite', () => {
  it('a source of the same trust replaces a value only with a newer one, and the time is kept', () => {
    const times = { name: 2000 };
    const newer = mergeTraits({ name: 'B' }, new Set(['name'] as const), { name: 'C' }, false, { at: 3000, times });
    expect(newer.patch).toEqual({ name: 'C' });
    expect(newer.times.name).toBe(3000);
    const older = mergeTraits({ name: 'B' }, new Set(['name'] as const), { name: 'A' }, false, { at: 1000, times });
    expect(older.patch).toEqual({});
    expect(older.times.name).toBe(2000);
  });

  it('a value without a stored time is kept; an unverified claim never replaces a trusted value, however new', () => {
    expect(mergeTraits({ name: 'B' }, new Set(), { name: 'C' }, true, { at: 3000, times: {} }).patch).toEqual({});
    expect(mergeTraits({ name: 'B' }, new Set(), { name: 'C' }, false, { at: 9000, times: { name: 1 } }).patch).toEqual({});
  });
});
