/**
 * Compiles what a booted Strapi needs: the plugin packages (strapi-plugin build; the app
 * loads them by package name from their dist), browser assets, and the app's own
 * TypeScript (config + src -> dist). Used by the test global setup and by benchmarks.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const APP_DIR = join(__dirname, '..', '..');

export async function buildApp(): Promise<void> {
  execFileSync(process.execPath, [join(APP_DIR, 'scripts', 'build.mjs'), '--no-admin'], { stdio: 'inherit', cwd: APP_DIR });
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: APP_DIR, ignoreDiagnostics: false });
}
