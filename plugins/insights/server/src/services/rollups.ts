import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { rebuildAll, recomputeDays } from '../queries/totals';
import { DIRTY_TABLE, ROLLUP_TABLE, STATE_TABLE, TOUCHPOINTS } from '../utils/constants';
import { getService } from '../utils/get-service';
import { dayExpr } from '../utils/sql';

const WATERMARK = 'rollup_watermark';
/** ids are handed out before commit: the periodic job looks this far behind the watermark again */
const RESCAN_IDS = 10_000;

/**
 * Incremental daily rollups of the touchpoint store (moat_insights_daily). Nothing on the
 * collect path: touchpoints are append-only with growing ids, so `catchUp` finds what arrived
 * after the watermark, marks the shop days it touched dirty (moat_insights_dirty_days, in the
 * same transaction that moves the watermark) and recomputes exactly those days. A late
 * (backfilled) touchpoint therefore updates its own day. Reads call `catchUp` first; a timer
 * calls it too, with a look back for rows committed out of id order and customer links
 * written after the row (collect joins a visitor to a customer by UPDATE).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const settings = () => getService(strapi, 'settings').get();
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;

  /** one writer at a time per database (several instances): PostgreSQL advisory lock */
  async function lock(trx: Knex.Transaction) {
    if (settings().client === 'postgres') await trx.raw('SELECT pg_advisory_xact_lock(7316001)');
  }

  async function watermark(db: Knex | Knex.Transaction): Promise<number> {
    const row = await db(STATE_TABLE).where({ key: WATERMARK }).first('value');
    return row ? Number(row.value) : 0;
  }

  async function setWatermark(trx: Knex.Transaction, value: number) {
    await trx(STATE_TABLE).insert({ key: WATERMARK, value }).onConflict('key').merge();
  }

  /** Recomputes the given days, contiguous runs at a time. */
  async function recompute(trx: Knex.Transaction, days: number[]) {
    const ctx = settings();
    const sorted = [...new Set(days)].sort((a, b) => a - b);
    let i = 0;
    while (i < sorted.length) {
      let j = i;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      await recomputeDays(trx, ctx, sorted[i], sorted[j]);
      i = j + 1;
    }
  }

  async function catchUpOnce(lookBack: number): Promise<number> {
    const { offset } = settings();
    return knex().transaction(async (trx) => {
      await lock(trx);
      const from = Math.max(0, (await watermark(trx)) - lookBack);
      const max = Number((await trx(TOUCHPOINTS).max('id as max').first())?.max ?? 0);
      if (max > from) {
        const day = trx.raw(`${dayExpr('occurred_at')} AS day`, [offset]);
        const touched = trx(TOUCHPOINTS).distinct(day).where('id', '>', from).andWhere('id', '<=', max);
        // a customer's first identify may move: every identify day of the customers involved
        const customers = trx(TOUCHPOINTS).distinct('customer_id').where('id', '>', from).andWhere('id', '<=', max).andWhere('type', 'identify').whereNotNull('customer_id');
        const identifyDays = trx(TOUCHPOINTS).distinct(day).where('type', 'identify').whereIn('customer_id', customers);
        const rows = [...(await touched), ...(await identifyDays)] as { day: number | string }[];
        const days = [...new Set(rows.map((r) => Number(r.day)))];
        for (let k = 0; k < days.length; k += 500) {
          await trx(DIRTY_TABLE).insert(days.slice(k, k + 500).map((day) => ({ day }))).onConflict('day').ignore();
        }
        await setWatermark(trx, Math.max(max, await watermark(trx)));
      }
      const dirty = (await trx(DIRTY_TABLE).select('day')).map((r: { day: number | string }) => Number(r.day));
      if (dirty.length === 0) return 0;
      await recompute(trx, dirty);
      await trx(DIRTY_TABLE).whereIn('day', dirty).delete();
      return dirty.length;
    });
  }

  return {
    /** Folds new touchpoints into the rollups; returns how many days were recomputed. */
    catchUp(options: { lookBack?: number } = {}): Promise<number> {
      running = running.catch(() => 0).then(() => catchUpOnce(options.lookBack ?? 0));
      return running;
    },

    /** Throws the rollups away and recomputes every day from raw touchpoints. */
    async rebuild(): Promise<{ days: number }> {
      const run = running.catch(() => 0).then(() =>
        knex().transaction(async (trx) => {
          await lock(trx);
          await setWatermark(trx, await rebuildAll(trx, settings()));
          const count = await trx(ROLLUP_TABLE).countDistinct('day as n').first();
          return Number(count?.n ?? 0);
        }),
      );
      running = run;
      return { days: await run };
    },

    start() {
      const every = getService(strapi, 'settings').get().refreshEveryMs;
      if (every > 0) {
        timer = setInterval(() => {
          this.catchUp({ lookBack: RESCAN_IDS }).catch((error) => strapi.log.warn(`insights: rollup refresh failed: ${(error as Error).message}`));
        }, every);
        timer.unref();
      }
    },

    async stop() {
      if (timer) clearInterval(timer);
      await running.catch(() => undefined);
    },
  };
};
