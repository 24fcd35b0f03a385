import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '@shopify/theme-check-node';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { trackerBuildOptions } from '../../../../scripts/tracker-options.mjs';

const EXTENSION = join(__dirname, '..', '..', '..', '..', 'theme-extension');
const dirs: string[] = [];

/** A copy of the theme extension with the given tracker bundle in assets/. */
function extensionWith(tracker: Uint8Array | string) {
  const dir = mkdtempSync(join(tmpdir(), 'moat-theme-'));
  dirs.push(dir);
  cpSync(EXTENSION, dir, { recursive: true });
  writeFileSync(join(dir, 'assets', 'moat-tracker.js'), tracker);
  return dir;
}

describe('Shopify theme app extension', () => {
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('passes theme-check for app extensions with the built tracker (10,000 B app-block JS limit)', async () => {
    const bundle = (await build({ ...trackerBuildOptions, write: false })).outputFiles[0].contents;
    const offenses = await check(extensionWith(bundle));
    expect(offenses.map((o) => `${o.check}: ${o.message}`)).toEqual([]);
  });

  it('fails theme-check when the tracker outgrows the limit (the check is live)', async () => {
    const offenses = await check(extensionWith(`/* ${'x'.repeat(10_500)} */`));
    expect(offenses.map((o) => o.check)).toContain('AssetSizeAppBlockJavaScript');
  });
});
