import { describe, expect, it } from 'vitest';
import { mergeWithFallback } from '../services/product-content';

const item = (documentId: string, locale: string, position: number) => ({ documentId, locale, position });

describe('mergeWithFallback', () => {
  it('prefers the translation, falls back per item, and orders by position', () => {
    const requested = [item('b', 'de', 2)];
    const fallback = [item('a', 'en', 1), item('b', 'en', 2), item('c', 'en', 0)];
    expect(mergeWithFallback(requested, fallback, 'de')).toEqual([
      { ...item('c', 'en', 0), fallback: true },
      { ...item('a', 'en', 1), fallback: true },
      { ...item('b', 'de', 2), fallback: false },
    ]);
  });

  it('keeps items that exist only in the requested locale', () => {
    expect(mergeWithFallback([item('x', 'ja', 0)], [], 'ja')).toEqual([{ ...item('x', 'ja', 0), fallback: false }]);
  });

  it('breaks position ties by document id so the order is stable', () => {
    const merged = mergeWithFallback([], [item('z', 'en', 1), item('m', 'en', 1)], 'en');
    expect(merged.map((m) => m.documentId)).toEqual(['m', 'z']);
    expect(merged.every((m) => !m.fallback)).toBe(true);
  });
});
