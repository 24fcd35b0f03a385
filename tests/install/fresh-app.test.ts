/**
 * The install path a store owner takes: `npm pack` every Moat package, create a fresh minimal
 * Strapi 5 app in a temporary folder (its own package.json, config/, src/admin — not this
 * repository's app), `npm install` the tarballs, enable the plugins, `strapi build` the admin,
 * `strapi start` it on SQLite, then: the tracker's collect answers 202 and the event is stored,
 * the FAQ API serves the seeded demo content, the email templates are seeded, and in real
 * Chromium the admin (after registering the first admin) shows Moat's pages.
 *
 * Needs the built plugins (the global setup builds them) and a warm npm cache (`npm ci` of
 * this repository): the install runs with --prefer-offline. Several minutes: run once in CI.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser';
import { batch, CHROME_UA, newId } from '../helpers/tracking';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');
const ROOT = join(__dirname, '..', '..');
const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** the host app's own dependencies: what `create-strapi-app` would give it, at this repo's pins */
const HOST_DEPS = ['@strapi/strapi', '@strapi/plugin-users-permissions', 'better-sqlite3', 'react', 'react-dom', 'react-router-dom', 'styled-components'];
const PLUGINS = {
  crm: '@moat/crm',
  tracking: '@moat/tracking',
  'product-content': '@moat/product-content',
  'lifecycle-email': '@moat/lifecycle-email',
  insights: '@moat/insights',
  shopify: '@moat/shopify',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** runs a command in the app folder, its output appended to the log (shown when it fails) */
function run(cwd: string, log: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = openSync(log, 'a');
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${readFileSync(log, 'utf8').slice(-4000)}`))));
  });
}

/** the files of a minimal Strapi 5 app, as a store owner would have them (JavaScript config) */
function writeApp(dir: string, tarballs: Record<string, string>) {
  const pinned = Object.fromEntries(HOST_DEPS.map((name) => [name, rootPkg.dependencies[name]]));
  const moat = Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`]));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'fresh-shop',
        private: true,
        version: '1.0.0',
        scripts: { build: 'strapi build', start: 'strapi start' },
        dependencies: { ...pinned, ...moat },
        // the shared packages are not on a registry here: every plugin takes the packed ones
        overrides: Object.fromEntries(Object.keys(moat).filter((name) => !Object.values(PLUGINS).includes(name)).map((name) => [name, moat[name]])),
        allowScripts: rootPkg.allowScripts,
        engines: rootPkg.engines,
      },
      null,
      2,
    ),
  );
  const files: Record<string, string> = {
    'config/database.js': `const path = require('path');
module.exports = ({ env }) => ({
  connection: { client: 'sqlite', connection: { filename: path.join(__dirname, '..', env('DATABASE_FILENAME', '.tmp/data.db')) }, useNullAsDefault: true },
});
`,
    'config/server.js': `module.exports = ({ env }) => ({ host: env('HOST', '0.0.0.0'), port: env.int('PORT', 1337), app: { keys: env.array('APP_KEYS') } });
`,
    'config/admin.js': `module.exports = ({ env }) => ({
  auth: { secret: env('ADMIN_JWT_SECRET') },
  apiToken: { salt: env('API_TOKEN_SALT') },
  transfer: { token: { salt: env('TRANSFER_TOKEN_SALT') } },
  secrets: { encryptionKey: env('ENCRYPTION_KEY') },
});
`,
    'config/middlewares.js': `module.exports = ['strapi::logger', 'strapi::errors', 'strapi::security', 'strapi::cors', 'strapi::poweredBy', 'strapi::query', 'strapi::body', 'strapi::session', 'strapi::favicon', 'strapi::public'];
`,
    // exactly the README's "Add Moat to your Strapi app" entries: nothing but enabling them
    'config/plugins.js': `module.exports = () => ({
${Object.keys(PLUGINS)
  .map((id) => `  '${id}': { enabled: true },`)
  .join('\n')}
});
`,
    'src/index.js': 'module.exports = { register() {}, bootstrap() {} };\n',
    'src/admin/app.js': "export default { config: { locales: ['zh-Hans'] }, bootstrap() {} };\n",
    'public/robots.txt': '',
    'public/uploads/.gitkeep': '',
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
}

describe('a fresh Strapi 5 app with Moat installed from the packed tarballs', () => {
  let dir: string;
  let log: string;
  let server: ChildProcess | undefined;
  let base: string;
  let browser: Browser | undefined;
  const db = () => new Database(join(dir, '.tmp', 'data.db'), { readonly: true, fileMustExist: true });

  beforeAll(async () => {
    // a folder outside the repository: nothing resolves from this repo's node_modules.
    // MOAT_FRESH_APP_DIR: rerun the checks on an app a kept run installed and built
    // (MOAT_KEEP_FRESH_APP=1), when iterating on this file
    const reuse = process.env.MOAT_FRESH_APP_DIR;
    dir = reuse ?? mkdtempSync(join(tmpdir(), 'moat-fresh-app-'));
    log = join(dir, 'install.log');
    let built = Date.now();
    // a fresh database every run (the first admin registers in the browser test)
    rmSync(join(dir, '.tmp'), { recursive: true, force: true });
    mkdirSync(join(dir, '.tmp'));
    if (!reuse) {
      const packs = join(dir, 'packs');
      const tarballs = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts', 'pack-plugins.mjs'), packs], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
      writeApp(dir, tarballs);
      const started = Date.now();
      // better-sqlite3's install script fetches a prebuilt addon from GitHub and compiles SQLite
      // when it cannot (minutes on 2 busy cores). Offer it the addon this repository's npm ci
      // built (same version, same Node; scripts/check-native.mjs checks it) as a local prebuild:
      // what the download would have given. Everything else installs from the tarballs and npm.
      const prebuilds = join(dir, 'prebuilds');
      mkdirSync(prebuilds);
      const sqlite = JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')).version;
      const addon = `better-sqlite3-v${sqlite}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
      execFileSync('tar', ['czf', join(prebuilds, addon), '-C', join(require.resolve('better-sqlite3/package.json'), '..'), 'build/Release/better_sqlite3.node']);
      await run(dir, log, npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { npm_config_better_sqlite3_local_prebuilds: prebuilds });
      const installed = Date.now();
      await run(dir, log, join(dir, 'node_modules', '.bin', 'strapi'), ['build'], { NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' });
      built = Date.now();
      console.log(`fresh app: npm install ${((installed - started) / 1000).toFixed(0)} s, strapi build ${((built - installed) / 1000).toFixed(0)} s`);
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const secret = () => newId('s');
    const out = openSync(join(dir, 'server.log'), 'a');
    server = spawn(join(dir, 'node_modules', '.bin', 'strapi'), ['start'], {
      cwd: dir,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        APP_KEYS: `${secret()},${secret()}`,
        ADMIN_JWT_SECRET: secret(),
        API_TOKEN_SALT: secret(),
        TRANSFER_TOKEN_SALT: secret(),
        ENCRYPTION_KEY: secret(),
        JWT_SECRET: secret(),
        STRAPI_TELEMETRY_DISABLED: 'true',
        // the plugins' own environment variables (README): demo content and the demo site
        MOAT_DEMO: 'true',
        MOAT_SITES: 'fresh_shop=https://shop.example.com',
        // not the test run's own database variables
        DATABASE_CLIENT: 'sqlite',
        DATABASE_FILENAME: '.tmp/data.db',
      },
    });
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`strapi start exited ${server.exitCode}:\n${readFileSync(join(dir, 'server.log'), 'utf8').slice(-4000)}`);
      const up = await fetch(`${base}/_health`).then((r) => r.status === 204, () => false);
      if (up) break;
      if (i > 240) throw new Error(`strapi start: no answer after 120 s:\n${readFileSync(join(dir, 'server.log'), 'utf8').slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`fresh app: strapi start ${((Date.now() - built) / 1000).toFixed(0)} s`);
  });

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dir && !process.env.MOAT_FRESH_APP_DIR && process.env.MOAT_KEEP_FRESH_APP !== '1') rmSync(dir, { recursive: true, force: true });
  });

  it('installed the plugins from the tarballs, not from this repository', () => {
    for (const pkg of Object.values(PLUGINS)) {
      const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', pkg, 'package.json'), 'utf8'));
      expect(manifest.name).toBe(pkg);
      expect(lstatSync(join(dir, 'node_modules', pkg)).isSymbolicLink()).toBe(false);
    }
  });

  it('collect answers 202 and stores the event', async () => {
    const visitor = newId('v');
    const res = await fetch(`${base}/moat/collect`, {
      method: 'POST',
      // a browser's User-Agent: bots are answered 202 and not stored
      headers: { 'Content-Type': 'text/plain', Origin: 'https://shop.example.com', 'User-Agent': CHROME_UA },
      body: JSON.stringify(batch('fresh_shop', visitor, [{ type: 'page_view', url: 'https://shop.example.com/products/led', title: 'LED panel' }])),
    });
    expect(res.status).toBe(202);
    let rows: { type: string; site: string }[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      const conn = db();
      rows = conn.prepare('SELECT type, site FROM moat_touchpoints WHERE visitor_id = ?').all(visitor);
      conn.close();
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual([{ type: 'page_view', site: 'fresh_shop' }]);
    const conn = db();
    const recorded = conn.prepare("SELECT name FROM moat_plugin_migrations WHERE plugin = 'tracking' ORDER BY name").all();
    conn.close();
    expect(recorded.length).toBeGreaterThanOrEqual(3);
  });

  it("every plugin with raw tables made them itself, each step recorded once (no host-app migrations)", () => {
    const conn = db();
    const byPlugin = conn.prepare('SELECT plugin, COUNT(*) AS n, COUNT(DISTINCT name) AS d FROM moat_plugin_migrations GROUP BY plugin').all() as { plugin: string; n: number; d: number }[];
    const tables = (conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    conn.close();
    expect(byPlugin.map((r) => r.plugin).sort()).toEqual(['crm', 'insights', 'lifecycle-email', 'shopify', 'tracking']);
    for (const row of byPlugin) expect(row.n, row.plugin).toBe(row.d);
    expect(tables).toEqual(expect.arrayContaining(['moat_touchpoints', 'moat_products', 'moat_messages', 'moat_insights_daily', 'shopify_shops']));
  });

  it('serves the browser scripts the packages ship (tracker, FAQ widget) with no copy in the app', async () => {
    for (const path of ['/moat/t.js', '/moat/faq.js']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(/javascript/);
      const etag = res.headers.get('etag') as string;
      expect((await res.text()).length, path).toBeGreaterThan(1000);
      expect((await fetch(`${base}${path}`, { headers: { 'If-None-Match': etag } })).status, path).toBe(304);
    }
    expect((await fetch(`${base}/moat/../package.json`)).status).not.toBe(200);
  });

  it('serves the seeded FAQ content through the FAQ API', async () => {
    const res = await fetch(`${base}/api/product-content/products/demo-led-panel-600?locale=zh-Hans`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.faqs.length).toBeGreaterThanOrEqual(3);
    expect(body.faqs[0].question).toMatch(/最小起订量/);
  });

  it('seeds the default email templates (shipped in the package)', () => {
    const conn = db();
    const names = conn.prepare('SELECT DISTINCT name FROM moat_email_templates').all() as { name: string }[];
    conn.close();
    expect(names.map((n) => n.name)).toEqual(expect.arrayContaining(['Welcome', 'Shipping confirmation', 'Inquiry follow-up']));
  });

  it("shows Moat's pages in the admin after the first admin registers", async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${base}/admin/auth/register-admin`);
    await page.getByLabel(/first ?name|名字|名/i).first().fill('Ada');
    await page.getByLabel(/email|邮箱/i).first().fill(`owner-${Date.now()}@example.com`);
    await page.getByLabel(/^password|^密码/i).first().fill('Moat-fresh-app-1');
    await page.getByLabel(/confirm|确认/i).first().fill('Moat-fresh-app-1');
    await page.getByRole('button', { name: /let's start|开始/i }).click();
    await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60_000 });
    // the menu links the plugins' admin bundles add (from dist/admin of the installed packages)
    for (const id of ['tracking', 'lifecycle-email', 'crm', 'insights', 'shopify']) {
      const link = page.locator(`nav a[href$="/plugins/${id}"]`).first();
      await link.waitFor({ state: 'visible', timeout: 30_000 });
      expect(await link.isVisible()).toBe(true);
    }
    await page.locator('nav a[href$="/plugins/tracking"]').first().click();
    await page.waitForURL((url) => url.pathname.endsWith('/plugins/tracking'));
    // the tracking page itself renders (its snippet box)
    await page.getByTestId('moat-snippet').first().waitFor({ state: 'visible', timeout: 30_000 });
  });
});
