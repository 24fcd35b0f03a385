// `npm run quickstart`: from a fresh clone to a running Moat on the embedded defaults
// (SQLite under .tmp/, local email outbox, demo content). Installs exactly the lockfile
// when node_modules is missing or older than it, builds, then runs `strapi develop`.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const marker = join(root, 'node_modules', '.package-lock.json');
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs;
if (stale) {
  console.log('Moat: installing dependencies (npm ci)…');
  execFileSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: root });
}
execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--no-admin'], { stdio: 'inherit', cwd: root });
const base = `http://localhost:${process.env.PORT ?? 1337}`;
console.log(`
Moat is starting on SQLite (.tmp/data.db) with demo content.
  Admin:            ${base}/admin  (first visit: create the first admin user)
  FAQ API:          ${base}/api/product-content/products/demo-led-panel-600?locale=de
  FAQ widget:       ${base}/moat/faq.js
`);
const child = spawn(join(root, 'node_modules', '.bin', 'strapi'), ['develop', '--no-watch-admin', '--no-install-deps'], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, BROWSER: process.env.BROWSER ?? 'none' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
