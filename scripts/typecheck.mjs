// Type-checks every TypeScript program of the repo: the app, each plugin's server, and the
// tests/benchmarks/browser sources. Fails on the first program with errors.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pluginFolders } from './lib/plugins.mjs';

const root = new URL('..', import.meta.url).pathname;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// shared packages (packages/*) are built, not only checked: the plugins type-check against
// their declarations in dist, which a fresh clone does not have yet
for (const name of existsSync(join(root, 'packages')) ? readdirSync(join(root, 'packages')) : []) {
  if (!existsSync(join(root, 'packages', name, 'tsconfig.json'))) continue;
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'packages', name, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
  console.log(`build packages/${name}: ${r.status === 0 ? 'ok' : 'FAILED'}`);
  if (r.status !== 0) process.exit(1);
}
const projects = [
  'tsconfig.json',
  // every plugin folder (plugins/* with strapi.kind "plugin"): its server program
  ...pluginFolders().map(({ name, dir }) => (existsSync(join(dir, 'tsconfig.server.json')) ? `plugins/${name}/tsconfig.server.json` : `plugins/${name}/server/tsconfig.build.json`)),
  'tsconfig.tests.json',
];
// the plugins read @moat/contracts' declarations from its dist: build the packages first
for (const name of existsSync(join(root, 'packages')) ? readdirSync(join(root, 'packages')) : []) {
  if (existsSync(join(root, 'packages', name, 'tsconfig.json'))) spawnSync(process.execPath, [tsc, '-p', join(root, 'packages', name, 'tsconfig.json')], { stdio: 'inherit' });
}
let failed = false;
for (const project of projects) {
  const started = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, project), '--noEmit'], { stdio: 'inherit', cwd: root });
  console.log(`typecheck ${project}: ${r.status === 0 ? 'ok' : 'FAILED'} (${Date.now() - started} ms)`);
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);
