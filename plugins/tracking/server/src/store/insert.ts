import type { Knex } from 'knex';
import { TOUCHPOINTS_TABLE } from '../utils/constants';
import type { TouchpointRow } from './rows';

/** 19 columns per row: 400 rows stay far under SQLite's and PostgreSQL's bind limits. */
const ROWS_PER_STATEMENT = 400;

/**
 * Multi-row INSERTs that skip rows whose dedupe_key already exists (retries, replays).
 * Returns how many rows were new.
 */
export async function insertTouchpoints(db: Knex | Knex.Transaction, rows: TouchpointRow[]): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const result = await db(TOUCHPOINTS_TABLE).insert(chunk).onConflict('dedupe_key').ignore().returning('id');
    inserted += Array.isArray(result) ? result.length : 0;
  }
  return inserted;
}
