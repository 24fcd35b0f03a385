/**
 * A fixed-window counter per key, in memory (per instance): enough to keep one client from
 * flooding the public RFQ form. Old windows are dropped as keys are touched.
 */
export class RateWindow {
  private readonly hits = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly points: number,
    private readonly durationMs: number,
  ) {}

  /** seconds until the key may try again, or 0 when this hit is allowed */
  take(key: string, now = Date.now()): number {
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (now - v.start >= this.durationMs) this.hits.delete(k);
    const entry = this.hits.get(key);
    if (!entry || now - entry.start >= this.durationMs) {
      this.hits.set(key, { start: now, count: 1 });
      return 0;
    }
    if (entry.count >= this.points) return Math.max(1, Math.ceil((entry.start + this.durationMs - now) / 1000));
    entry.count++;
    return 0;
  }
}
