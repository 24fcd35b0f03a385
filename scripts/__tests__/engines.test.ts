import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const semver = require('semver') as { minVersion(range: string): { version: string } | null; satisfies(version: string, range: string): boolean };
const root = join(__dirname, '..', '..');
const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));

interface LockEntry {
  engines?: { node?: string };
  os?: string[];
  cpu?: string[];
}

// package.json `engines` names the Node versions Moat supports (README, Node versions). From the
// lowest 22 and 24 it allows on, every installed dependency's own `engines` must be met, so a
// dependency update that raises its floor shows up here, not as EBADENGINE on someone's install.
// Node 20 is end-of-life and exempt (some dependencies already ask for 22).
describe('engines', () => {
  const range: string = read('package.json').engines.node;
  const lock = read('package-lock.json') as { packages: Record<string, LockEntry> };

  it('matches the lockfile', () => {
    expect(lock.packages[''].engines?.node).toBe(range);
  });

  it.each(range.split('||').map((r) => r.trim()).filter((r) => !r.startsWith('^20')))('from %s on, meets every dependency', (part) => {
    const lowest = semver.minVersion(part)?.version as string;
    const unmet = Object.entries(lock.packages)
      .filter(([path, p]) => path && p.engines?.node && !p.os && !p.cpu) // platform-only packages never install elsewhere
      .filter(([, p]) => !semver.satisfies(lowest, p.engines?.node as string))
      .map(([path, p]) => `${path} wants node ${p.engines?.node}`);
    expect(unmet).toEqual([]);
  });
});
