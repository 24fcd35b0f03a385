/**
 * Runs before the tests: compiles plugins, browser assets and the app once, so every test
 * boots current code. MOAT_SKIP_BUILD=1 skips it when iterating on a test.
 */
import { ensureAdminBuild } from './helpers/admin';
import { buildApp } from './helpers/build';

export default async function setup() {
  // vitest runs the root global setup once per project that extends it: build only once
  if (process.env.MOAT_SKIP_BUILD === '1' || process.env.MOAT_BUILT === '1') return;
  await buildApp();
  // browser tests of the admin need its bundle; rebuilt only when its inputs change
  if (process.env.MOAT_ADMIN_BUILD !== '0') ensureAdminBuild();
  process.env.MOAT_BUILT = '1';
}
