/**
 * Drives an HTTP endpoint with autocannon in a separate process, so the load generator does
 * not share the event loop (or skew the numbers) of the server under test.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSec: number;
  /** fixed number of requests instead of a duration: every request then gets its answer */
  amount?: number;
  /** unique-id generator only: at least this many unmeasured requests first, on the same
   * sockets, and until every socket has had an answer (see unique-load.cjs) */
  warmup?: number;
  /** replace [<id>] in the body with a unique id per request (and [<vid>] with one per `perVisitor` requests) */
  idReplacement?: boolean;
  perVisitor?: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  pipelining?: number;
}

export interface LoadResult {
  requestsPerSec: number;
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyP50: number;
  latencyP99: number;
}

const UNIQUE_LOAD = join(__dirname, 'unique-load.cjs');
const AUTOCANNON = join(__dirname, '..', '..', 'node_modules', 'autocannon', 'autocannon.js');

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const args = [AUTOCANNON, '--json', '-c', String(options.connections), '-p', String(options.pipelining ?? 1), '-m', options.method ?? 'GET'];
  args.push(...(options.amount ? ['-a', String(options.amount)] : ['-d', String(options.durationSec)]));
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (options.body !== undefined) args.push('-b', options.body);
  args.push(options.url);
  if (options.idReplacement) {
    args.length = 0;
    args.push(UNIQUE_LOAD, JSON.stringify({ ...options, method: options.method ?? 'GET', durationSec: options.amount ? undefined : options.durationSec }));
  }
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const r = JSON.parse(stdout);
      resolve({
        // total over elapsed time: autocannon's per-second average is coarse for short runs
        requestsPerSec: r.duration > 0 ? Math.round(r.requests.total / r.duration) : r.requests.average,
        total: r.requests.total,
        ok2xx: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        latencyP50: r.latency.p50,
        latencyP99: r.latency.p99,
      });
    });
  });
}
