import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAssets } from '../assets';

/** a package folder with a browser/ folder, and a context like Koa's */
function fixture() {
  const root = mkdtempSync(join(tmpdir(), 'moat-assets-'));
  writeFileSync(join(root, 'package.json'), '{"name":"x"}');
  mkdirSync(join(root, 'browser'));
  mkdirSync(join(root, 'dist', 'server'), { recursive: true });
  writeFileSync(join(root, 'browser', 't.js'), 'console.log("tracker")');
  writeFileSync(join(root, 'browser', 'notes.txt'), 'not a script');
  return join(root, 'dist', 'server');
}
const context = (method: string, path: string, headers: Record<string, string> = {}) => {
  const out: Record<string, string> = {};
  return { method, path, status: 404, body: undefined as unknown, headers: out, get: (n: string) => headers[n] ?? '', set: (n: string, v: string) => void (out[n] = v) };
};

describe('browserAssets', () => {
  it('serves the scripts in browser/ with an ETag, answers 304 to a matching If-None-Match, and passes everything else on', async () => {
    const { files, middleware } = browserAssets(fixture());
    expect(files).toEqual(['/moat/t.js']);
    const ctx = context('GET', '/moat/t.js');
    let passed = 0;
    await middleware(ctx, async () => void passed++);
    expect([ctx.status, String(ctx.body), ctx.headers['Content-Type'], passed]).toEqual([200, 'console.log("tracker")', 'application/javascript; charset=utf-8', 0]);
    const again = context('GET', '/moat/t.js', { 'If-None-Match': ctx.headers.ETag });
    await middleware(again, async () => void passed++);
    expect(again.status).toBe(304);
    for (const [method, path] of [['GET', '/moat/notes.txt'], ['POST', '/moat/t.js'], ['GET', '/moat/../package.json'], ['GET', '/moat/T.js']]) {
      await middleware(context(method, path), async () => void passed++);
    }
    expect(passed).toBe(4);
  });

  it('serves nothing when the package ships no browser/ folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'moat-assets-'));
    writeFileSync(join(root, 'package.json'), '{"name":"y"}');
    expect(browserAssets(root).files).toEqual([]);
  });
});
