// esbuild options of the browser tracker, shared by the build and the size-budget test.
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export const TRACKER_BUDGET = { gzipBytes: 3072, diskBytes: 10_000 };

export const trackerBuildOptions = {
  entryPoints: [join(root, 'plugins', 'tracking', 'tracker', 'src', 'tracker.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  // every browser a storefront supports; keeps ?. and ??= unexpanded (smaller)
  target: ['es2021'],
  legalComments: 'none',
};
