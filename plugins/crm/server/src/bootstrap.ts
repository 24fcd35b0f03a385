import { runPluginMigrations } from '@moat/plugin-kit';
import type { Core } from '@strapi/strapi';
import { type TouchpointsStoredEvent, TOUCHPOINTS_STORED } from '@moat/contracts';
import { EMAIL_INDEX, hasIndex, migrations } from './migrations';
import { startEngage } from './engage/bootstrap';
import { engageConfig } from './engage/config';
import { ACTION_DEFINITIONS } from './permissions';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // must be the plugin bootstrap: Strapi's admin bootstrap runs after it, gives Super Admin every
  // registered action and deletes stored permissions of actions nobody registered
  await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);
  // rows differing only in email case would break the unique index: merge them first (a full
  // scan, so only while the index does not exist yet)
  if (!(await hasIndex(strapi.db.connection, EMAIL_INDEX))) await getService(strapi, 'customers').mergeCaseDuplicates();
  await runPluginMigrations(strapi, 'crm', migrations);
  // forms → inquiries and orders → order totals, after tracking's durable write (never inside collect's 202)
  strapi.eventHub.on(TOUCHPOINTS_STORED, async ({ touchpoints }: TouchpointsStoredEvent) => {
    // order totals first: scoring's tier and the flows' "nth order" read them
    const buyers = touchpoints.filter((tp) => tp.type === 'order_placed' && tp.customerId).map((tp) => tp.customerId as string);
    if (buyers.length > 0) {
      await getService(strapi, 'orders')
        .refresh(buyers)
        .catch((error: Error) => strapi.log.warn(`[crm] order totals: ${error.message}`));
      // the tier reads the new totals: a recompute scheduled before they were written saw the old ones
      if (engageConfig(strapi).scoring.enabled) for (const id of new Set(buyers)) getService(strapi, 'scoring').schedule(id);
    }
    for (const tp of touchpoints) {
      if (tp.type !== 'form_submit') continue;
      await getService(strapi, 'inquiries')
        .fromTouchpoint(tp)
        .catch((error: Error) => strapi.log.warn(`[crm] inquiry from touchpoint ${tp.dedupeKey}: ${error.message}`));
    }
  });
  await startEngage(strapi);
};
