// `node scripts/pack-plugins.mjs <dir>`: `npm pack` of every shared package (packages/*) and
// every plugin folder (plugins/* with strapi.kind "plugin") into <dir>, from their built output
// (run `npm run build:plugins` first). Prints { "<package name>": "<tarball path>" } as JSON.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isPackaged, pluginFolders, root, sharedPackages } from './lib/plugins.mjs';

const out = resolve(process.argv[2] ?? join(root, '.tmp', 'packs'));
mkdirSync(out, { recursive: true });
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tarballs = {};
for (const { name, dir, pkg } of [...sharedPackages(), ...pluginFolders().filter(isPackaged)]) {
  if (!existsSync(join(dir, 'dist'))) throw new Error(`${dir}: no dist; run npm run build:plugins first`);
  const [info] = JSON.parse(execFileSync(npm, ['pack', '--json', '--pack-destination', out], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
  tarballs[pkg.name] = join(out, info.filename);
  console.error(`packed ${name}: ${info.filename} (${info.entryCount} files, ${Math.round(info.size / 1024)} kB)`);
}
console.log(JSON.stringify(tarballs, null, 2));
