import type { RenderedEmail } from './compile';
import { type MjmlIssue, MjmlValidationError, type RejectReason, TemplateRejectedError, type UnresolvedVariable, UnresolvedVariableError } from './errors';
import type { CompileInput } from './limits';

/** Messages between the compile pool (main thread) and its workers (worker.ts). */
export type CompileJob =
  /** compile (cached in the worker by content hash) and personalize with `data` */
  | { kind: 'preview'; input: CompileInput; data: Record<string, unknown> }
  /** compile only: MJML validation, Handlebars syntax and helpers */
  | { kind: 'validate'; input: CompileInput }
  /** the worker's cache size, for tests and diagnostics */
  | { kind: 'stats' };

export type JobResult = RenderedEmail | { ok: true } | { cacheSize: number; cacheMax: number };

export interface SerializedError {
  name: string;
  message: string;
  issues?: MjmlIssue[];
  reason?: RejectReason;
  part?: 'subject' | 'html' | 'text';
  variables?: UnresolvedVariable[];
}

export type WorkerReply = { id: number; ok: true; value: JobResult } | { id: number; ok: false; error: SerializedError };

/** Errors cross the thread boundary as plain objects; the typed ones are rebuilt on arrival. */
export function serializeError(error: unknown): SerializedError {
  const e = error as Error & Partial<SerializedError>;
  return { name: e?.name ?? 'Error', message: String(e?.message ?? error), issues: e.issues, reason: e.reason, part: e.part, variables: e.variables };
}

export function deserializeError(e: SerializedError): Error {
  if (e.name === 'MjmlValidationError' && e.issues) return new MjmlValidationError(e.issues);
  if (e.name === 'TemplateRejectedError' && e.reason) return new TemplateRejectedError(e.reason, e.message);
  if (e.name === 'UnresolvedVariableError' && e.part) {
    // the message already names the part; keep it as the worker wrote it
    const error = new UnresolvedVariableError(e.part, '', e.variables ?? []);
    error.message = e.message;
    return error;
  }
  return Object.assign(new Error(e.message), { name: e.name });
}
