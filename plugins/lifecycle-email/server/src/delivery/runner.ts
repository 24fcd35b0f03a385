import type { Lane } from './types';

/** A group of row ids carried together (one BullMQ job; null job id in the in-process runner). */
export interface Dispatched {
  jobId: string | null;
  ids: number[];
}

/**
 * What carries message ids to the workers. "bullmq": Redis queues, one per lane, workers in
 * any process. "local": no Redis; workers poll the message log (the quick start's default).
 * Either way the message log is the truth and the carrier only says "look at these rows".
 */
export interface DeliveryRunner {
  readonly name: 'bullmq' | 'local';
  /**
   * Hands row ids to the lane; `delayMs` for sends that are not due yet. Without `jobIdSuffix`
   * the jobs are the rows' default jobs (`defaultJobId`); with one, new jobs of their own.
   */
  dispatch(lane: Lane, ids: number[], delayMs?: number, jobIdSuffix?: string): Promise<Dispatched[]>;
  /** ids per job in each lane */
  readonly batchSize: Record<Lane, number>;
  /** Adds jobs whose ids the caller chose (written on the rows at insert); no-op for the local runner. */
  dispatchJobs(lane: Lane, jobs: Array<{ jobId: string; ids: number[] }>, delayMs: number): Promise<void>;
  /** the job a row is carried by when its job_id column is empty */
  defaultJobId(lane: Lane, id: number): string | null;
  /** false when the job is gone (flushed, failed, finished): its rows need a new one */
  jobAlive(lane: Lane, jobId: string): Promise<boolean>;
  startWorkers(): Promise<void>;
  /** stops taking jobs and waits for the ones in hand */
  close(): Promise<void>;
}

/**
 * The job that first carries a row, derived from its id: rows of one campaign have
 * consecutive ids, so id ÷ batch size groups them into jobs of up to `batchSize` without
 * writing a job id on 100K rows. Rows carried again (retry, reconciler) store their job id.
 */
export function defaultJobId(lane: Lane, id: number, batchSize: number): string {
  return batchSize <= 1 ? `${lane[0]}-${id}` : `${lane[0]}-${Math.floor(id / batchSize)}x${batchSize}`;
}

export function batches(ids: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}
