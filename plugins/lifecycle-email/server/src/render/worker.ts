/**
 * A compile worker: MJML + Handlebars compile and preview renders run here, off the event
 * loop, so a hostile or huge template stalls only this thread (which the pool terminates
 * after the time limit) and its memory goes with the thread.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { type Compiled, compileTemplate, personalize } from './compile';
import type { CompileInput } from './limits';
import { LruCache } from './lru';
import { type CompileJob, type JobResult, serializeError, type WorkerReply } from './protocol';

/** Compiled templates by content hash: previewing the same template again skips MJML. */
const cache = new LruCache<string, Promise<Compiled>>((workerData as { maxCached?: number } | null)?.maxCached ?? 32);

function compileCached(input: CompileInput): Promise<Compiled> {
  const key = createHash('sha256').update(JSON.stringify([input.source, input.subject, input.text ?? null])).digest('base64');
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = compileTemplate(input);
    cache.set(key, compiled);
    compiled.catch(() => cache.delete(key));
  }
  return compiled;
}

async function run(job: CompileJob): Promise<JobResult> {
  switch (job.kind) {
    case 'preview':
      return personalize(await compileCached(job.input), job.data);
    case 'validate':
      await compileCached(job.input);
      return { ok: true };
    case 'stats':
      return { cacheSize: cache.size, cacheMax: cache.max };
  }
}

parentPort?.on('message', async ({ id, job }: { id: number; job: CompileJob }) => {
  let reply: WorkerReply;
  try {
    reply = { id, ok: true, value: await run(job) };
  } catch (error) {
    reply = { id, ok: false, error: serializeError(error) };
  }
  parentPort?.postMessage(reply);
});

// the imports above (MJML is large) are loaded: jobs may come
parentPort?.postMessage('ready');
