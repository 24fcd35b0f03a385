// Builds Moat's packages the way they are published: the shared packages (packages/*, tsc)
// first, then every plugin folder (plugins/* with strapi.kind "plugin") with Strapi's plugin
// SDK (`strapi-plugin build`: server and admin bundles, worker bundles, type declarations).
// The app loads the plugins from that output, by package name, as any other Strapi app does.
//
// A plugin whose dist is newer than every file it is built from is skipped (the SDK's
// declaration pass takes ~30 s per side on 2 cores); MOAT_FORCE_BUILD=1 rebuilds all.
// Two plugins build at a time.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pluginFolders, root, sharedPackages } from './lib/plugins.mjs';

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const sdk = join(root, 'node_modules', '@strapi', 'sdk-plugin', 'bin', 'strapi-plugin.js');
const force = process.env.MOAT_FORCE_BUILD === '1';

/** newest modification time under these paths (files and folders, recursively) */
function newest(paths) {
  let latest = 0;
  const walk = (path) => {
    // tsc --noEmit (typecheck) still writes its build info into dist: not an output
    if (!existsSync(path) || path.endsWith('.tsbuildinfo')) return;
    const stat = statSync(path);
    // files only: a folder's time changes when typecheck writes its build info into it
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
    else latest = Math.max(latest, stat.mtimeMs);
  };
  for (const path of paths) walk(path);
  return latest;
}

const built = (dir) => (existsSync(join(dir, 'dist')) ? newest([join(dir, 'dist')]) : 0);
const inputsOf = (dir) => ['package.json', 'server/src', 'admin/src', 'server/tsconfig.build.json', 'admin/tsconfig.build.json'].map((p) => join(dir, p));

for (const { name, dir } of sharedPackages()) {
  if (!existsSync(join(dir, 'tsconfig.json'))) continue;
  if (!force && built(dir) > newest([join(dir, 'src'), join(dir, 'package.json'), join(dir, 'tsconfig.json')])) continue;
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { stdio: 'inherit' });
  console.log(`built package ${name}`);
}

function buildPlugin({ name, dir, pkg }) {
  const started = Date.now();
  // a clean output keeps files deleted from src from lingering in dist
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sdk, 'build', '--silent'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`strapi-plugin build failed for plugins/${name} (exit ${code})`));
      // the SDK only logs some failures (a declaration it could not emit): every file the
      // exports name must be there
      const named = Object.values(pkg.exports ?? {}).flatMap((e) => (typeof e === 'string' ? [] : [e.types, e.require, e.import].filter(Boolean)));
      const missing = named.filter((f) => !existsSync(join(dir, f)));
      if (missing.length) return reject(new Error(`plugins/${name}: the build wrote no ${missing.join(', ')}`));
      console.log(`built plugin ${name} in ${Date.now() - started} ms`);
      resolve();
    });
  });
}

// a plugin folder not yet converted to a package (docs/plugin-package.md) keeps its tsc build
const packaged = ({ pkg }) => Boolean(pkg.exports?.['./strapi-server']?.source);
for (const { name, dir } of pluginFolders().filter((p) => !packaged(p))) {
  rmSync(join(dir, 'dist', 'server'), { recursive: true, force: true });
  rmSync(join(dir, 'dist', '.tsbuildinfo'), { force: true });
  execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.server.json')], { stdio: 'inherit' });
  console.log(`built plugin ${name} with tsc (not a package yet)`);
}
const pending = pluginFolders().filter((p) => packaged(p) && (force || built(p.dir) <= newest(inputsOf(p.dir))));
const fresh = pluginFolders().filter(packaged).length - pending.length;
if (fresh > 0) console.log(`${fresh} plugin(s) up to date`);
const queue = [...pending];
const worker = async () => {
  for (let next = queue.shift(); next; next = queue.shift()) await buildPlugin(next);
};
try {
  await Promise.all([worker(), worker()]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
