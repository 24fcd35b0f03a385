// Builds the browser tracker (plugins/tracking/tracker/src) into one minified file, served by
// the app at /moat/t.js and shipped in the Shopify theme extension's assets, and its platform
// add-ons into /moat/t-<name>.js (loaded by the core only where the page needs them).
// Generated: never edit the output. Size budgets are checked by plugins/tracking/tracker/__tests__.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ADDON_BUDGETS, addonBuildOptions, trackerBuildOptions } from './tracker-options.mjs';

const root = new URL('..', import.meta.url).pathname;
const outDir = join(root, 'public', 'moat');
const themeCopy = join(root, 'theme-extension', 'assets', 'moat-tracker.js');
// the copy the tracking package ships (browser/, served by the plugin at /moat/*.js in any host app)
const packageDir = join(root, 'plugins', 'tracking', 'browser');
mkdirSync(outDir, { recursive: true });
mkdirSync(packageDir, { recursive: true });
mkdirSync(join(root, 'theme-extension', 'assets'), { recursive: true });
const sizes = (file) => `${statSync(file).size} B, ${gzipSync(readFileSync(file), { level: 9 }).length} B gzipped`;
const outfile = join(outDir, 't.js');
await build({ ...trackerBuildOptions, outfile });
copyFileSync(outfile, themeCopy);
copyFileSync(outfile, join(packageDir, 't.js'));
console.log(`built ${outfile} (${sizes(outfile)}) and ${themeCopy}`);
for (const name of Object.keys(ADDON_BUDGETS)) {
  const file = join(outDir, `t-${name}.js`);
  await build({ ...addonBuildOptions(name), outfile: file });
  copyFileSync(file, join(packageDir, `t-${name}.js`));
  console.log(`built ${file} (${sizes(file)})`);
}
