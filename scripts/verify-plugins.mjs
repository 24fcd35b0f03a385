// `strapi-plugin verify` for every plugin folder (plugins/* with strapi.kind "plugin"): the
// package.json exports and the built files they name (run `npm run build:plugins` first).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { isPackaged, pluginFolders, root } from './lib/plugins.mjs';

const sdk = join(root, 'node_modules', '@strapi', 'sdk-plugin', 'bin', 'strapi-plugin.js');
let failed = 0;
for (const { name, dir } of pluginFolders().filter(isPackaged)) {
  const r = spawnSync(process.execPath, [sdk, 'verify'], { cwd: dir, encoding: 'utf8' });
  const ok = r.status === 0;
  console.log(`strapi-plugin verify plugins/${name}: ${ok ? 'ok' : 'FAILED'}`);
  if (!ok) {
    failed++;
    process.stdout.write(r.stdout + r.stderr);
  }
}
process.exit(failed ? 1 : 0);
