// Builds the <moat-faq> web component (plugins/product-content/widget/src) into one
// minified file served by Strapi at /moat/faq.js. Generated: never edit the output.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const outfile = join(root, 'public', 'moat', 'faq.js');
mkdirSync(join(root, 'public', 'moat'), { recursive: true });
await build({
  entryPoints: [join(root, 'plugins', 'product-content', 'widget', 'src', 'moat-faq.ts')],
  outfile,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2019'],
  legalComments: 'none',
  banner: { js: '/* Moat FAQ widget: generated from plugins/product-content/widget/src, do not edit */' },
});
// the copy the product-content package ships (browser/, served by the plugin at /moat/faq.js)
mkdirSync(join(root, 'plugins', 'product-content', 'browser'), { recursive: true });
copyFileSync(outfile, join(root, 'plugins', 'product-content', 'browser', 'faq.js'));
console.log(`built ${outfile} and its package copy`);
