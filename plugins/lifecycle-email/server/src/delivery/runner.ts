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
  /** hands new row ids to the lane; `delayMs` for sends that are not due yet */
  dispatch(lane: Lane, ids: number[], delayMs?: number, jobIdSuffix?: string): Promise<Dispatched[]>;
  /** false when the job is gone (flushed, failed, finished): its rows need a new one */
  jobAlive(lane: Lane, jobId: string): Promise<boolean>;
  startWorkers(): Promise<void>;
  /** stops taking jobs and waits for the ones in hand */
  close(): Promise<void>;
}

export function batches(ids: number[], size: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}
