import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { type OffLoopReader, sqliteFile, sqliteReader } from '../queries/reader';
import { aggregateOf, rebuildAll, recomputeDays, replaceDays } from '../queries/totals';
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
 *
 * On a SQLite file every scan of the touchpoints runs on a reader thread (workers/reader.ts):
 * better-sqlite3 is synchronous, and a refresh over a busy day blocked collect for its length.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  const settings = () => getService(strapi, 'settings').get();
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;
  // SQLite file: the heavy reads go to a worker thread (created on first use)
  let reader: OffLoopReader | null | undefined;
  const offLoop = (): OffLoopReader | null => {
    if (reader === undefined) {
      const file = sqliteFile(knex());
      reader = file ? sqliteReader(file) : null;
    }
    return reader;
  };

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
    for (const [first, last] of runsOf(days)) await recomputeDays(trx, ctx, first, last);
  }

  /** Contiguous runs of the given days, as [first, last] pairs. */
  function runsOf(days: number[]): Array<[number, number]> {
    const sorted = [...new Set(days)].sort((a, b) => a - b);
    const runs: Array<[number, number]> = [];
    for (const day of sorted) {
      const last = runs[runs.length - 1];
      if (last && day === last[1] + 1) last[1] = day;
      else runs.push([day, day]);
    }
    return runs;
  }

  /**
   * SQLite: the same steps as catchUpOnce, but every scan of moat_touchpoints runs on the
   * reader thread and the transactions only write small results. One process owns a SQLite
   * file and catchUp calls run one at a time (`running`), so nothing else moves the watermark
   * or the dirty days between the steps; a crash between them leaves the days marked dirty.
   */
  async function catchUpOffLoop(read: OffLoopReader, lookBack: number): Promise<number> {
    const ctx = settings();
    const from = Math.max(0, (await watermark(knex())) - lookBack);
    const [top] = await read.all<{ max: number | null }>(`SELECT MAX(id) AS max FROM ${TOUCHPOINTS}`, []);
    const max = Number(top?.max ?? 0);
    if (max > from) {
      const day = dayExpr('occurred_at');
      const touched = await read.all<{ day: number }>(`SELECT DISTINCT ${day} AS day FROM ${TOUCHPOINTS} WHERE id > ? AND id <= ?`, [ctx.offset, from, max]);
      const identifyDays = await read.all<{ day: number }>(
        `SELECT DISTINCT ${day} AS day FROM ${TOUCHPOINTS} WHERE type = 'identify' AND customer_id IN (SELECT DISTINCT customer_id FROM ${TOUCHPOINTS} WHERE id > ? AND id <= ? AND type = 'identify' AND customer_id IS NOT NULL)`,
        [ctx.offset, from, max],
      );
      const days = [...new Set([...touched, ...identifyDays].map((r) => Number(r.day)))];
      await knex().transaction(async (trx) => {
        for (let k = 0; k < days.length; k += 500) {
          await trx(DIRTY_TABLE).insert(days.slice(k, k + 500).map((d) => ({ day: d }))).onConflict('day').ignore();
        }
        await setWatermark(trx, Math.max(max, await watermark(trx)));
      });
    }
    const dirty = (await knex()(DIRTY_TABLE).select('day')).map((r: { day: number | string }) => Number(r.day));
    if (dirty.length === 0) return 0;
    const runs = runsOf(dirty);
    const rows: Record<string, unknown>[][] = [];
    for (const [first, last] of runs) {
      const agg = aggregateOf(ctx, first, last);
      rows.push(await read.all(agg.sql, agg.bindings));
    }
    await knex().transaction(async (trx) => {
      for (let r = 0; r < runs.length; r++) await replaceDays(trx, runs[r][0], runs[r][1], rows[r]);
      await trx(DIRTY_TABLE).whereIn('day', dirty).delete();
    });
    return dirty.length;
  }

  async function catchUpOnce(lookBack: number): Promise<number> {
    const read = offLoop();
    if (read) return catchUpOffLoop(read, lookBack);
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

    /** reads that ran on the SQLite reader thread so far (0 on PostgreSQL) */
    offLoopReads(): number {
      return reader?.reads ?? 0;
    },

    async stop() {
      if (timer) clearInterval(timer);
      await running.catch(() => undefined);
      await reader?.close();
      reader = undefined;
    },
  };
};
