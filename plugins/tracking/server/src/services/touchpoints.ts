import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { afterStored, storedOf } from '../collect/stored';
import { insertTouchpoints } from '../store/insert';
import { type TouchpointInput, toRow } from '../store/rows';
import { PLUGIN_ID, TOUCHPOINTS_TABLE, VISITORS_TABLE } from '../utils/constants';

/**
 * The one write path into the touchpoint store. Every plugin records through here
 * (`getService(strapi, 'touchpoints').record(...)`), never into the table directly.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => strapi.db.connection;
  return {
    /** Records one touchpoint; false when its dedupe key was already stored. */
    async record(input: TouchpointInput): Promise<boolean> {
      const row = toRow(input, Date.now());
      const stored = (await insertTouchpoints(knex(), [row])) === 1;
      if (stored) afterStored(strapi, storedOf([row]));
      return stored;
    },

    /** Records many in multi-row statements, in one transaction; returns how many were new. */
    async recordMany(inputs: TouchpointInput[]): Promise<number> {
      if (inputs.length === 0) return 0;
      const now = Date.now();
      const rows = inputs.map((input) => toRow(input, now));
      const stored = await knex().transaction((trx) => insertTouchpoints(trx, rows));
      // which rows were duplicates is not known here: listeners are idempotent (dedupe keys)
      if (stored > 0) afterStored(strapi, storedOf(rows));
      return stored;
    },

    /**
     * Joins a visitor to a customer: the visitor row points at the customer, and the
     * visitor's earlier anonymous touchpoints join the customer's timeline.
     */
    async linkVisitor(visitorId: string, customerId: string, site?: string | null): Promise<number> {
      return knex().transaction(async (trx): Promise<number> => {
        const now = Date.now();
        const existing = await trx(VISITORS_TABLE).where({ visitor_id: visitorId }).first('visitor_id');
        if (existing) await trx(VISITORS_TABLE).where({ visitor_id: visitorId }).update({ customer_id: customerId });
        else
          await trx(VISITORS_TABLE).insert({ visitor_id: visitorId, site: site ?? null, customer_id: customerId, last_seen_at: now, first_seen_at: now });
        return Number(await trx(TOUCHPOINTS_TABLE).where({ visitor_id: visitorId }).whereNull('customer_id').update({ customer_id: customerId }));
      });
    },

    /** Every touchpoint and visitor of customer `from` now belongs to `to` (a CRM merge). */
    async reassignCustomer(from: string, to: string): Promise<{ touchpoints: number; visitors: number }> {
      const moved = await knex().transaction(async (trx) => {
        const visitors = (await trx(VISITORS_TABLE).where({ customer_id: from }).select('visitor_id')).map((v: { visitor_id: string }) => v.visitor_id);
        await trx(VISITORS_TABLE).where({ customer_id: from }).update({ customer_id: to });
        return { touchpoints: Number(await trx(TOUCHPOINTS_TABLE).where({ customer_id: from }).update({ customer_id: to })), visitors };
      });
      // the collector's session cache must not keep stamping the loser's id on new events
      for (const visitorId of moved.visitors) strapi.plugin(PLUGIN_ID).service('collector').rememberCustomer(visitorId, to);
      return { touchpoints: moved.touchpoints, visitors: moved.visitors.length };
    },

    /** The customer a visitor is joined to, if any. */
    async customerOfVisitor(visitorId: string): Promise<string | null> {
      const row = await knex()(VISITORS_TABLE).where({ visitor_id: visitorId }).first('customer_id');
      return row?.customer_id ?? null;
    },
  };
};
