// `npm run worker`: Moat's queue workers (email delivery, Shopify webhooks) without the HTTP server. The same app and
// plugins load (config, database, services) but nothing listens; web instances then run with
// MOAT_WORKERS=0 and only enqueue. SIGTERM/SIGINT stop gracefully: the jobs in hand finish.
// Expects a built app (`npm run build`, or `MOAT_WORKER_BUILD=1` to compile config + src here).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url).pathname;
const { createStrapi, compileStrapi } = require('@strapi/strapi');

process.env.MOAT_WORKERS = '1';
if (process.env.MOAT_WORKER_BUILD === '1' || !existsSync(join(root, 'dist', 'config'))) {
  await compileStrapi({ appDir: root, ignoreDiagnostics: false });
}
const app = await createStrapi({ appDir: root, distDir: join(root, 'dist'), autoReload: false, serveAdminPanel: false }).load();
const queue = app.plugin('lifecycle-email').config('queue');
const shopifyQueue = app.plugin('shopify')?.config('webhooks')?.queue;
app.log.info(`Moat worker ready (queue: ${queue}${shopifyQueue ? `, Shopify webhooks: ${shopifyQueue}` : ''}, pid ${process.pid})`);
process.stdout.write(`MOAT_WORKER_READY pid=${process.pid}\n`);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    app.log.info(`Moat worker: ${signal}, finishing the jobs in hand`);
    app.destroy().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
