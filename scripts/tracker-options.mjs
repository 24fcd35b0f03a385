// esbuild options of the browser tracker and its platform add-ons, shared by the build and
// the size-budget test.
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const src = (name) => join(root, 'plugins', 'tracking', 'tracker', 'src', name);

/** The core (t.js) loads on every storefront page; add-ons only on pages of their platform. */
export const TRACKER_BUDGET = { gzipBytes: 3072, diskBytes: 10_000 };
export const ADDON_BUDGETS = { shopify: 1024, wp: 5120 };

export const trackerBuildOptions = {
  entryPoints: [src('tracker.ts')],
  bundle: true,
  minify: true,
  format: 'iife',
  // every browser a storefront supports; keeps ?. and ??= unexpanded (smaller)
  target: ['es2021'],
  legalComments: 'none',
};

/** Build options of one add-on: t-<name>.js from tracker/src/<name>.ts. */
export const addonBuildOptions = (name) => ({ ...trackerBuildOptions, entryPoints: [src(`${name}.ts`)] });
