import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR } from '../helpers/strapi';

/** Loads the real app in a child process with the given environment (no inherited secrets). */
function loadApp(env: Record<string, string>) {
  const script = `require('@strapi/strapi').createStrapi({ appDir: ${JSON.stringify(APP_DIR)}, distDir: ${JSON.stringify(join(APP_DIR, 'dist'))}, autoReload: false, serveAdminPanel: false })
    .load().then(async (s) => { console.log('LOADED'); await s.destroy(); process.exit(0); }, (e) => { console.error(e.message); process.exit(3); });`;
  const dir = mkdtempSync(join(tmpdir(), 'moat-prod-'));
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: APP_DIR,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', DATABASE_FILENAME: join(dir, 'db.sqlite'), LOG_LEVEL: 'error', ...env },
  });
  rmSync(dir, { recursive: true, force: true });
  return result;
}

describe('secrets at startup', () => {
  it('refuses to start in production without secrets, naming the missing one', () => {
    const result = loadApp({ NODE_ENV: 'production' });
    expect(result.status).not.toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(/Moat refuses to start: the secret [A-Z_]+ is missing or a placeholder/);
    expect(result.stdout).not.toContain('LOADED');
  });

  it('refuses placeholder secrets in production', () => {
    const valid = Object.fromEntries(['ADMIN_JWT_SECRET', 'API_TOKEN_SALT', 'TRANSFER_TOKEN_SALT', 'ENCRYPTION_KEY', 'JWT_SECRET'].map((k) => [k, `${k}-long-random-value`]));
    const result = loadApp({ NODE_ENV: 'production', ...valid, APP_KEYS: 'toBeModified1,toBeModified2' });
    expect(`${result.stdout}${result.stderr}`).toMatch(/the secret APP_KEYS is missing or a placeholder/);
  });

  it('starts in development without any secret set (they are generated)', () => {
    const result = loadApp({ NODE_ENV: 'development', MOAT_DEMO: 'false' });
    expect(result.stderr).not.toMatch(/refuses to start/);
    expect(result.stdout).toContain('LOADED');
  });
});
