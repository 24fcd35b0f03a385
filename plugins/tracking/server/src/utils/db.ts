import type { Knex } from 'knex';

/** Which dialect a knex instance talks to (the collect writer and the timeline differ by it). */
export const isSqlite = (knex: Knex) => /sqlite/.test(String((knex.client as { config?: { client?: unknown } }).config?.client ?? ''));
