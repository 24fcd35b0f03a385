import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './files';

/** the slice of a Koa context the asset server reads and writes (no koa import here) */
interface AssetContext {
  method: string;
  path: string;
  status: number;
  body: unknown;
  get(name: string): string;
  set(name: string, value: string): void;
}

/**
 * Serves the browser scripts a plugin package ships in its `browser/` folder (the tracker
 * `t.js`, the FAQ widget `faq.js`) at `<prefix>/<file>`, so a host app needs no copy in its
 * `public/`. Only the files present at start are served (no path from the request reaches the
 * file system); each is read once and answered with a strong ETag and a short cache lifetime,
 * because the script tag's URL carries no version.
 */
export function browserAssets(from: string, prefix = '/moat') {
  const dir = join(packageRoot(from), 'browser');
  const files = new Map<string, { body: Buffer; etag: string }>();
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (!/^[a-z0-9-]+\.js$/.test(name)) continue;
      const body = readFileSync(join(dir, name));
      files.set(`${prefix}/${name}`, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
  }
  const middleware = async (ctx: AssetContext, next: () => Promise<unknown>) => {
    const file = ctx.method === 'GET' || ctx.method === 'HEAD' ? files.get(ctx.path) : undefined;
    if (!file) return next();
    ctx.set('Content-Type', 'application/javascript; charset=utf-8');
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('ETag', file.etag);
    // any storefront origin loads it with a plain <script> tag
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    if (ctx.get('If-None-Match') === file.etag) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    ctx.body = file.body;
  };
  return { files: [...files.keys()], middleware };
}
