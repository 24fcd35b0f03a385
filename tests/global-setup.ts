/**
 * Runs once before the integration and end-to-end tests: compiles the plugins' servers,
 * the app (config + src -> dist) and the browser assets, so every test boots current code.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const APP_DIR = join(__dirname, '..');

export default async function setup() {
  // vitest runs the root global setup once per project that extends it: build only once
  if (process.env.MOAT_SKIP_BUILD === '1' || process.env.MOAT_BUILT === '1') return;
  execFileSync(process.execPath, [join(APP_DIR, 'scripts', 'build.mjs'), '--no-admin'], { stdio: 'inherit', cwd: APP_DIR });
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
  process.env.MOAT_BUILT = '1';
}
