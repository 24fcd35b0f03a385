/**
 * Benchmark harness. Every benchmark compares a measured value against a baseline measured
 * in the same run (this machine is noisy: absolute numbers drift, ratios hold), writes
 * bench/results/<name>.json and exits non-zero when an invariant it checks fails.
 *
 * Usage (a benchmark file):
 *   await runBench('render', async (ctx) => {
 *     const baseline = await measureSomething();
 *     const value = await measureOther();
 *     ctx.check(stored === acked, `stored ${stored} != acknowledged ${acked}`);
 *     return { value, baseline, unit: 'renders/s', extra: { p99 } };
 *   });
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchOutcome {
  /** the measured figure of the thing under test */
  value: number;
  /** the same figure for the baseline, measured in this run */
  baseline: number;
  unit: string;
  /** ratio = value / baseline unless the benchmark says otherwise (e.g. lower-is-better) */
  ratio?: number;
  /** any further numbers worth keeping (p50, p99, counts, per-database figures) */
  extra?: Record<string, unknown>;
}

export interface BenchContext {
  /** true when BENCH_QUICK=1: every benchmark must then finish in under 30 s */
  quick: boolean;
  /** records an invariant; a false one makes the run exit non-zero after results are written */
  check(ok: boolean, message: string): void;
  log(message: string): void;
}

export const RESULTS_DIR = join(__dirname, '..', 'results');

export async function runBench(name: string, body: (ctx: BenchContext) => Promise<BenchOutcome>): Promise<void> {
  const failures: string[] = [];
  const ctx: BenchContext = {
    quick: process.env.BENCH_QUICK === '1',
    check(ok, message) {
      if (!ok) failures.push(message);
    },
    log(message) {
      process.stdout.write(`[${name}] ${message}\n`);
    },
  };
  const started = Date.now();
  let outcome: BenchOutcome;
  try {
    outcome = await body(ctx);
  } catch (error) {
    process.stderr.write(`[${name}] failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
    return;
  }
  const ratio = outcome.ratio ?? (outcome.baseline === 0 ? 0 : outcome.value / outcome.baseline);
  const result = {
    name,
    value: round(outcome.value),
    baseline: round(outcome.baseline),
    ratio: round(ratio, 4),
    unit: outcome.unit,
    quick: ctx.quick,
    durationMs: Date.now() - started,
    at: new Date().toISOString(),
    node: process.version,
    invariantsFailed: failures,
    ...outcome.extra,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  ctx.log(`value ${result.value} ${outcome.unit} | baseline ${result.baseline} ${outcome.unit} | ratio ${result.ratio}`);
  if (failures.length > 0) {
    for (const f of failures) process.stderr.write(`[${name}] INVARIANT FAILED: ${f}\n`);
    process.exitCode = 1;
  }
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Percentile of an unsorted sample (nearest rank). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return 0;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}
