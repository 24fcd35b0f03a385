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

const AUTOCANNON = join(__dirname, '..', '..', 'node_modules', 'autocannon', 'autocannon.js');

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const args = [AUTOCANNON, '--json', '-c', String(options.connections), '-d', String(options.durationSec), '-p', String(options.pipelining ?? 1), '-m', options.method ?? 'GET'];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}=${v}`);
  if (options.body !== undefined) args.push('-b', options.body);
  args.push(options.url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const r = JSON.parse(stdout);
      resolve({
        requestsPerSec: r.requests.average,
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
