import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs a throwaway benchmark through the real harness in its own process. */
function runInline(name: string, ok: boolean) {
  const code = `import { runBench } from ${JSON.stringify(join(ROOT, 'bench', 'lib', 'harness.ts'))};
runBench(${JSON.stringify(name)}, async (ctx) => { ctx.check(${ok}, 'stored 9 != acknowledged 10'); return { value: 50, baseline: 200, unit: 'ops/s', extra: { p99: 3 } }; });`;
  const result = spawnSync(TSX, ['-e', code], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_QUICK: '1' } });
  const file = join(ROOT, 'bench', 'results', `${name}.json`);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file);
  return { status: result.status, stderr: result.stderr, json };
}

describe('bench harness', () => {
  it('writes name, value, baseline, ratio and unit, and exits 0 when invariants hold', () => {
    const { status, json } = runInline(`t-${randomUUID().slice(0, 8)}`, true);
    expect(status).toBe(0);
    expect(json).toMatchObject({ value: 50, baseline: 200, ratio: 0.25, unit: 'ops/s', quick: true, p99: 3, invariantsFailed: [] });
  });

  it('exits non-zero and records the failed invariant', () => {
    const { status, stderr, json } = runInline(`t-${randomUUID().slice(0, 8)}`, false);
    expect(status).toBe(1);
    expect(stderr).toContain('INVARIANT FAILED: stored 9 != acknowledged 10');
    expect(json.invariantsFailed).toEqual(['stored 9 != acknowledged 10']);
  });
});
