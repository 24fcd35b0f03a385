import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ADDON_BUDGETS, addonBuildOptions, TRACKER_BUDGET, trackerBuildOptions } from '../../../../scripts/tracker-options.mjs';

describe('tracker bundle', () => {
  it(`stays within ${TRACKER_BUDGET.gzipBytes} B gzipped and under ${TRACKER_BUDGET.diskBytes} B on disk (theme-check's limit)`, async () => {
    const result = await build({ ...trackerBuildOptions, write: false });
    const code = result.outputFiles[0].contents;
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`tracker: ${code.length} B, ${gzipped} B gzipped (goal 2048)`);
    expect(code.length).toBeGreaterThan(1000); // a real bundle, not an empty build
    expect(gzipped).toBeLessThanOrEqual(TRACKER_BUDGET.gzipBytes);
    expect(code.length).toBeLessThan(TRACKER_BUDGET.diskBytes);
  });

  it('imports no runtime code from the server contract (zod stays out)', async () => {
    const result = await build({ ...trackerBuildOptions, write: false, metafile: true });
    const inputs = Object.keys(result.metafile?.inputs ?? {});
    expect(inputs.some((p) => p.includes('tracker.ts'))).toBe(true);
    expect(inputs.filter((p) => p.includes('node_modules'))).toEqual([]);
  });

  for (const [name, budget] of Object.entries(ADDON_BUDGETS)) {
    it(`the ${name} add-on (t-${name}.js, loaded only on ${name} pages) stays within ${budget} B gzipped and imports no runtime code from the server`, async () => {
      const result = await build({ ...addonBuildOptions(name), write: false, metafile: true });
      const code = result.outputFiles?.[0]?.contents ?? new Uint8Array();
      const gzipped = gzipSync(code, { level: 9 }).length;
      console.log(`t-${name}.js: ${code.length} B, ${gzipped} B gzipped`);
      expect(gzipped).toBeGreaterThan(300);
      expect(gzipped).toBeLessThanOrEqual(budget);
      expect(Object.keys(result.metafile?.inputs ?? {}).filter((p) => p.includes('node_modules') || p.includes('server/'))).toEqual([]);
    });
  }
});
