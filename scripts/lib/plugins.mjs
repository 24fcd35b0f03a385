// The Moat plugin packages of this repository: every plugins/<folder> whose package.json says
// `strapi.kind: "plugin"`, and the shared packages under packages/. Used by the build, verify,
// pack and typecheck scripts so a new plugin folder needs no script change.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = new URL('../..', import.meta.url).pathname;

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** [{ name: folder, dir, pkg }] for every plugin folder */
export function pluginFolders() {
  const base = join(root, 'plugins');
  return readdirSync(base)
    .filter((name) => existsSync(join(base, name, 'package.json')))
    .map((name) => ({ name, dir: join(base, name), pkg: readJson(join(base, name, 'package.json')) }))
    .filter(({ pkg }) => pkg.strapi?.kind === 'plugin');
}

/** [{ name: folder, dir, pkg }] for every shared package (packages/*) */
export function sharedPackages() {
  const base = join(root, 'packages');
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((name) => existsSync(join(base, name, 'package.json')))
    .map((name) => ({ name, dir: join(base, name), pkg: readJson(join(base, name, 'package.json')) }));
}

/** converted to an installable package (exports name their sources for strapi-plugin build) */
export const isPackaged = ({ pkg }) => Boolean(pkg.exports?.['./strapi-server']?.source);
