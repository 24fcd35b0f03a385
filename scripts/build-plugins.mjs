// Compiles every local plugin's server code (server/src -> dist/server) with tsc.
// Strapi loads a plugin's server from compiled JavaScript only (see ARCHITECTURE.md).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// shared packages first (packages/*: @moat/plugin-kit): the plugins import their declarations
for (const name of existsSync(join(root, 'packages')) ? readdirSync(join(root, 'packages')) : []) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'tsconfig.json'))) continue;
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  console.log(`built package ${name}`);
}
const plugins = readdirSync(join(root, 'plugins')).filter((name) =>
  existsSync(join(root, 'plugins', name, 'server', 'src', 'index.ts')),
);
for (const name of plugins) {
  const dir = join(root, 'plugins', name);
  const started = Date.now();
  // a clean output keeps files deleted from src from lingering in dist
  rmSync(join(dir, 'dist', 'server'), { recursive: true, force: true });
  rmSync(join(dir, 'dist', '.tsbuildinfo'), { force: true });
  execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.server.json')], { stdio: 'inherit' });
  console.log(`built plugin ${name} in ${Date.now() - started} ms`);
}
