import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { createTokenSigner, type TokenSigner } from '../compliance/tokens';
import { DEFAULT_DELIVERY, type DeliveryConfig, type LifecycleEmailConfig } from '../config';
import { createBullmqRunner } from '../delivery/bullmq-runner';
import { createDeliverer, type Deliverer, type Outcome } from '../delivery/deliver';
import { createLocalRunner } from '../delivery/local-runner';
import { createMessageRepository } from '../delivery/repository';
import type { DeliveryRunner } from '../delivery/runner';
import type { Lane } from '../delivery/types';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';

/**
 * The delivery pipeline of this process: the message log, the carrier (BullMQ or the
 * in-process runner), the workers when MOAT_WORKERS is on, and the reconciler that gives
 * rows a new job when theirs is gone (Redis flushed, a worker killed mid-send).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const cfg = <K extends keyof LifecycleEmailConfig>(k: K) => strapi.plugin(PLUGIN_ID).config(k) as LifecycleEmailConfig[K];
  const settings = (): DeliveryConfig => ({ ...DEFAULT_DELIVERY, ...cfg('delivery') });
  const repo = createMessageRepository(() => strapi.db.connection);
  let signer: TokenSigner | undefined;
  let runner: DeliveryRunner | undefined;
  let deliverer: Deliverer | undefined;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let reconciling: Promise<unknown> | undefined;

  const tokenSigner = (): TokenSigner => {
    if (!signer) {
      const configured = cfg('tokenSecret');
      const keys = (strapi.config.get('server.app.keys') as string[] | undefined) ?? [];
      // a key of its own, derived so that APP_KEYS alone configure it (never the APP_KEYS value itself)
      const secret = configured || (keys.length > 0 ? createHash('sha256').update(`moat-email-links\u0000${keys.join(',')}`).digest('base64') : '');
      signer = createTokenSigner(secret);
    }
    return signer;
  };

  const getDeliverer = (): Deliverer => {
    if (!deliverer) {
      const templates = getService(strapi, 'templates');
      const mailer = getService(strapi, 'mailer');
      deliverer = createDeliverer({
        strapi,
        repo,
        engine: templates.engine,
        resolveTemplate: (key, locale) => templates.resolve(key, locale),
        transport: (lane) => mailer.laneTransport(lane),
        signer: tokenSigner(),
        settings: () => {
          const s = settings();
          return { from: cfg('from'), baseUrl: cfg('publicUrl').replace(/\/+$/, ''), leaseMs: s.leaseMs, maxAttempts: s.maxAttempts, retryBaseMs: s.retryBaseMs, concurrency: s.sendConcurrency, unsubscribeTtlDays: s.unsubscribeTtlDays, trackingTtlDays: s.trackingTtlDays };
        },
      });
    }
    return deliverer;
  };

  /** Carries retried rows again at their retry time and records the job on the row. */
  const onRetry = async (retries: Extract<Outcome, { status: 'retry' }>[]) => {
    for (const r of retries) {
      const [group] = await getRunner().dispatch(r.lane, [r.id], r.retryAt - Date.now(), `-a${Date.now().toString(36)}`);
      if (group.jobId) await repo.repoint([r.id], null, group.jobId, Date.now());
    }
  };

  const getRunner = (): DeliveryRunner => {
    if (!runner) {
      const s = settings();
      const batchSize = { transactional: 1, bulk: s.batchSize };
      runner =
        cfg('queue') === 'bullmq'
          ? createBullmqRunner({
              redisUrl: cfg('redisUrl'),
              prefix: cfg('queuePrefix'),
              batchSize,
              concurrency: { transactional: s.transactionalConcurrency, bulk: s.bulkConcurrency },
              ratePerSecond: s.ratePerSecond,
              deliverer: getDeliverer(),
              onRetry,
              log: strapi.log,
            })
          : createLocalRunner({ repo, deliverer: getDeliverer(), batchSize, pollMs: s.pollMs, log: strapi.log });
    }
    return runner;
  };

  /**
   * One reconcile pass: rows left pending (crash between insert and enqueue), queued rows
   * whose job no longer exists, and sending rows whose lease ran out get a new job. A row's
   * job id is swapped with a conditional UPDATE first, so two reconcilers never both carry it.
   */
  async function reconcileOnce(): Promise<number> {
    const r = getRunner();
    const now = Date.now();
    const stale = await repo.stale(now - settings().staleAfterMs, now, 5_000);
    const groups = new Map<string, { lane: Lane; jobId: string | null; effective: string | null; ids: number[]; sending: boolean }>();
    for (const row of stale) {
      // null job_id: the row's default job (see runner.defaultJobId)
      const effective = row.jobId ?? r.defaultJobId(row.lane, row.id);
      const key = `${row.lane}\u0000${row.jobId ?? ''}\u0000${effective ?? ''}\u0000${row.status === 'sending'}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { lane: row.lane, jobId: row.jobId, effective, ids: [], sending: row.status === 'sending' }));
      g.ids.push(row.id);
    }
    let moved = 0;
    for (const g of groups.values()) {
      if (!g.sending && g.effective && (await r.jobAlive(g.lane, g.effective))) continue;
      const suffix = `-r${Date.now().toString(36)}`;
      for (const group of await r.dispatch(g.lane, g.ids, 0, suffix)) {
        if (!group.jobId) continue;
        const won = await repo.repoint(group.ids, g.jobId, group.jobId, Date.now());
        moved += won.length;
      }
    }
    if (moved > 0) strapi.log.info(`lifecycle-email: reconciler gave ${moved} message(s) a new job`);
    return moved;
  }

  return {
    repo,
    tokens: tokenSigner,
    runner: getRunner,

    /** Starts the workers and the reconciler when this process runs them (MOAT_WORKERS). */
    async start(): Promise<void> {
      if (!cfg('workers')) return;
      const r = getRunner();
      await r.startWorkers();
      if (r.name === 'bullmq') {
        const tick = () => {
          reconciling = reconcileOnce()
            .catch((error) => strapi.log.error(`lifecycle-email: reconciler: ${(error as Error).message}`))
            .finally(() => {
              reconciling = undefined;
              if (reconcileTimer) reconcileTimer = setTimeout(tick, settings().reconcileMs);
            });
        };
        reconcileTimer = setTimeout(tick, Math.min(settings().reconcileMs, 2_000));
      }
    },

    reconcileOnce,

    /** Graceful: no new jobs, the ones in hand finish, then the transports close (plugin destroy). */
    async stop(): Promise<void> {
      const timer = reconcileTimer;
      reconcileTimer = undefined;
      if (timer) clearTimeout(timer);
      await reconciling;
      await runner?.close();
      runner = undefined;
    },
  };
};
