import type { Deliverer } from './deliver';
import type { MessageRepository } from './repository';
import type { DeliveryRunner } from './runner';
import { LANES, type Lane } from './types';

export interface LocalRunnerOptions {
  repo: MessageRepository;
  deliverer: Deliverer;
  batchSize: Record<Lane, number>;
  pollMs: number;
  log: { error(msg: string): void };
}

/**
 * Without Redis: each lane's worker loop reads due rows straight from the message log
 * (claims make several processes safe), so the quick start sends with nothing but SQLite.
 * One loop per lane keeps a shipping notice from waiting behind a campaign batch.
 */
export function createLocalRunner(o: LocalRunnerOptions): DeliveryRunner {
  let closing = false;
  const wakers = new Map<Lane, () => void>();
  const loops: Promise<void>[] = [];

  const sleep = (lane: Lane) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, o.pollMs);
      function done() {
        clearTimeout(timer);
        wakers.delete(lane);
        resolve();
      }
      wakers.set(lane, done);
    });

  const loop = async (lane: Lane) => {
    while (!closing) {
      try {
        const ids = await o.repo.dueIds(o.batchSize[lane], Date.now(), lane);
        if (ids.length > 0) {
          await o.deliverer.deliver(ids);
          continue;
        }
      } catch (error) {
        if (closing) return;
        o.log.error(`lifecycle-email: ${lane} delivery loop: ${(error as Error).message}`);
      }
      await sleep(lane);
    }
  };

  return {
    name: 'local',
    async dispatch(lane, ids) {
      wakers.get(lane)?.();
      return [{ jobId: null, ids }];
    },
    batchSize: o.batchSize,
    async dispatchJobs(lane) {
      wakers.get(lane)?.();
    },
    defaultJobId() {
      return null;
    },
    async jobAlive() {
      return true;
    },
    async startWorkers() {
      for (const lane of LANES) loops.push(loop(lane));
    },
    async close() {
      closing = true;
      for (const wake of [...wakers.values()]) wake();
      await Promise.all(loops);
    },
  };
}
