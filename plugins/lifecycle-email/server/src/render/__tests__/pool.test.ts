import { afterAll, describe, expect, it } from 'vitest';
import { MjmlValidationError, TemplateRejectedError, UnresolvedVariableError } from '../errors';
import { checkTemplate, DEFAULT_LIMITS } from '../limits';
import { CompilePool, PoolBusyError } from '../pool';

const body = (inner: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${inner}</mj-text></mj-column></mj-section></mj-body></mjml>`;
const input = (mjml: string, subject = 's') => checkTemplate({ subject, mjml }, DEFAULT_LIMITS);

describe('CompilePool (real worker threads)', () => {
  const pool = new CompilePool({ size: 1, timeoutMs: 2_000, maxQueue: 4, maxHeapMb: 128, maxCachedPerWorker: 3 });
  afterAll(() => pool.close());

  it('compiles and personalizes in a worker, and brings typed errors back', async () => {
    const out = (await pool.run({ kind: 'preview', input: input(body('Hi {{name}}'), 'Hello {{name}}'), data: { name: 'Ada' } })) as { subject: string; html: string };
    expect(out.subject).toBe('Hello Ada');
    expect(out.html).toContain('Hi Ada');
    const invalid = await pool.run({ kind: 'validate', input: input('<mjml><mj-body>\n<mj-bogus/></mj-body></mjml>') }).catch((e) => e);
    expect(invalid).toBeInstanceOf(MjmlValidationError);
    expect(invalid.issues[0].line).toBe(2);
    const missing = await pool.run({ kind: 'preview', input: input(body('{{who}}')), data: {} }).catch((e) => e);
    expect(missing).toBeInstanceOf(UnresolvedVariableError);
    expect(missing.part).toBe('html');
  });

  it('keeps its compile cache at the cap', async () => {
    for (let i = 0; i < 8; i++) await pool.run({ kind: 'validate', input: input(body(`v${i} {{x}}`)) });
    const [stats] = await pool.stats();
    expect(stats).toEqual({ cacheSize: 3, cacheMax: 3 });
  });

  it('stops a compile over the time limit, answers "took too long", and works again with a new worker', async () => {
    const slow = new CompilePool({ size: 1, timeoutMs: 40, maxQueue: 4, maxHeapMb: 128, maxCachedPerWorker: 3 });
    try {
      // within the limits (900 expressions), but compiling them takes longer than 40 ms
      const heavy = input(body('{{v}} '.repeat(900)));
      // a started worker first: starting one (loading MJML) does not count against the limit
      await slow.run({ kind: 'validate', input: input(body('warm')) }, 10_000);
      const error = await slow.run({ kind: 'preview', input: heavy, data: { v: 'x' } }).catch((e) => e);
      expect(error).toBeInstanceOf(TemplateRejectedError);
      expect(error.reason).toBe('timeout');
      expect(error.message).toMatch(/took too long to compile/);
      expect(slow.restarts).toBe(1);
    } finally {
      await slow.close();
    }
    // the shared pool is unaffected
    expect(((await pool.run({ kind: 'preview', input: input(body('ok')), data: {} })) as { html: string }).html).toContain('ok');
  });

  it('refuses jobs beyond the queue bound instead of piling them up', async () => {
    const small = new CompilePool({ size: 1, timeoutMs: 2_000, maxQueue: 1, maxHeapMb: 128, maxCachedPerWorker: 3 });
    try {
      await small.run({ kind: 'validate', input: input(body('warm')) });
      // one runs, one waits, the third is refused
      const jobs = [0, 1, 2].map((i) => small.run({ kind: 'validate', input: input(body(`q${i}`)) }).catch((e) => e));
      const results = await Promise.all(jobs);
      expect(results.filter((r) => r instanceof PoolBusyError)).toHaveLength(1);
    } finally {
      await small.close();
    }
  });
});
