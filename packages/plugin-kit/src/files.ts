import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of the package that holds `from` (the nearest parent with a package.json). A
 * plugin's code runs from its bundle (dist/server/index.js) in an installed package and from
 * its TypeScript sources under vitest; files it ships (templates, workers) are found from here.
 */
export function packageRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`plugin-kit: no package.json above ${from}`);
    dir = parent;
  }
}

/**
 * How to start a worker thread: the built worker (`dist/workers/<name>/index.js`, a bundle of its
 * own made by `strapi-plugin build` from the package's `./workers/<name>` export) when it exists;
 * otherwise the TypeScript source through tsx's require hook (tests run sources; tsx is a dev
 * dependency, never taken in an installed package).
 */
export function workerScript(from: string, name: string, source: string): { code: string; eval: boolean } {
  const built = join(packageRoot(from), 'dist', 'workers', name, 'index.js');
  if (existsSync(built)) return { code: built, eval: false };
  const ts = JSON.stringify(source);
  return { code: `require('tsx/cjs/api').require(${ts}, ${ts});`, eval: true };
}

/** The part of a worker_threads Worker that stopWorker uses. */
interface StoppableWorker {
  once(event: 'exit', listener: () => void): unknown;
  postMessage(message: unknown): void;
  terminate(): Promise<number>;
}

/**
 * Asks a worker thread to close (it closes its database connection and exits) and waits for
 * the exit, terminating it after `timeoutMs`. Waiting matters: a thread still holding a SQLite
 * file races whoever deletes or reopens that file next.
 */
export async function stopWorker(worker: StoppableWorker, message: unknown = 'close', timeoutMs = 5000): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage(message);
  const timeout = setTimeout(() => void worker.terminate(), timeoutMs);
  await exited;
  clearTimeout(timeout);
}
