// One build for everything Moat ships: the plugin packages (strapi-plugin build, see
// scripts/build-plugins.mjs), browser assets (esbuild:
// the FAQ widget, the tracker) and, unless --no-admin, the Strapi admin panel.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (script, args = []) => execFileSync(process.execPath, [join(root, script), ...args], { stdio: 'inherit', cwd: root });

run('scripts/build-plugins.mjs');
run('scripts/build-faq-widget.mjs');
if (existsSync(join(root, 'scripts', 'build-tracker.mjs'))) run('scripts/build-tracker.mjs');
if (!process.argv.includes('--no-admin')) {
  execFileSync(join(root, 'node_modules', '.bin', 'strapi'), ['build'], { stdio: 'inherit', cwd: root });
}
