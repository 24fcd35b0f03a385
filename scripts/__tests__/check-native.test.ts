import { describe, expect, it } from 'vitest';
import { checkNativeModules } from '../check-native.mjs';

// The dependencies whose install scripts package.json `allowScripts` lets npm run: if a script
// was skipped or built for another Node, this fails on the Node that runs the tests.
describe('native modules', () => {
  it(`better-sqlite3's addon loads on Node ${process.version} and works on a WAL file; esbuild and @swc/core transform`, () => {
    const lines = checkNativeModules();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^better-sqlite3 \d+\.\d+\.\d+ \(SQLite 3\.\d+\.\d+, WAL\)$/);
  });
});
