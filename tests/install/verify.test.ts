/**
 * `strapi-plugin verify` (Strapi's plugin SDK) passes for every plugin folder, on its built
 * output; and it does catch a package whose exports name files the build did not make.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const SDK = join(ROOT, 'node_modules', '@strapi', 'sdk-plugin', 'bin', 'strapi-plugin.js');
const verify = (cwd: string) => spawnSync(process.execPath, [SDK, 'verify'], { cwd, encoding: 'utf8' });

describe('strapi-plugin verify', async () => {
  const { isPackaged, pluginFolders } = await import('../../scripts/lib/plugins.mjs');
  const plugins = pluginFolders().filter(isPackaged);

  it('finds the plugin folders', () => {
    expect(plugins.map((p) => p.name)).toEqual(expect.arrayContaining(['crm', 'tracking', 'product-content', 'lifecycle-email']));
  });

  it.each(plugins.map((p) => [p.name, p.dir]))('passes for plugins/%s', (_name, dir) => {
    const r = verify(dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it('fails for a plugin whose exports name a file the build did not make', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moat-verify-'));
    try {
      const source = plugins.find((p) => p.name === 'tracking')!.dir;
      cpSync(join(source, 'package.json'), join(dir, 'package.json'));
      cpSync(join(source, 'dist'), join(dir, 'dist'), { recursive: true });
      rmSync(join(dir, 'dist', 'server', 'index.js'));
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
      const r = verify(dir);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/dist\/server\/index\.js/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
