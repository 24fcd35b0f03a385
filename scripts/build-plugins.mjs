// Compiles every local plugin's server code (server/src -> dist/server) with tsc.
// Strapi loads a plugin's server from compiled JavaScript only (see ARCHITECTURE.md).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// workspace packages the plugins import at runtime (@moat/contracts) build first
for (const name of existsSync(join(root, 'packages')) ? readdirSync(join(root, 'packages')) : []) {
  const project = join(root, 'packages', name, 'tsconfig.json');
  if (!existsSync(project)) continue;
  rmSync(join(root, 'packages', name, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', project], { stdio: 'inherit' });
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
