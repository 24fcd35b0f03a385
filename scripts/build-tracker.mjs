// Builds the browser tracker (plugins/tracking/tracker/src) into one minified file, served by
// the app at /moat/t.js and shipped in the Shopify theme extension's assets. Generated: never
// edit the output. The size budget is checked by plugins/tracking/tracker/__tests__.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { trackerBuildOptions } from './tracker-options.mjs';

const root = new URL('..', import.meta.url).pathname;
const outfile = join(root, 'public', 'moat', 't.js');
const themeCopy = join(root, 'theme-extension', 'assets', 'moat-tracker.js');
mkdirSync(join(root, 'public', 'moat'), { recursive: true });
mkdirSync(join(root, 'theme-extension', 'assets'), { recursive: true });
await build({ ...trackerBuildOptions, outfile });
copyFileSync(outfile, themeCopy);
const bytes = statSync(outfile).size;
console.log(`built ${outfile} (${bytes} B, ${gzipSync(readFileSync(outfile), { level: 9 }).length} B gzipped) and ${themeCopy}`);
