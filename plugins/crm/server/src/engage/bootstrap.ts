import type { Core } from '@strapi/strapi';
import { engageConfig } from './config';

/** Segment indexes, the scoring listener and the pool's release job. */
export async function startEngage(strapi: Core.Strapi) {
  const config = engageConfig(strapi);
  await strapi.plugin('crm').service('segments').ensureIndexes();
  strapi.plugin('crm').service('scoring').listen();
  if (config.pool.enabled) {
    strapi.cron.add({
      crmPoolRelease: {
        task: async () => {
          // read at each run: turning it off (tests that call release() themselves) takes effect at once
          if (!engageConfig(strapi).pool.enabled) return;
          try {
            const released = await strapi.plugin('crm').service('pool').release();
            const n = released.customers.length + released.inquiries.length;
            if (n) strapi.log.info(`[crm] pool: released ${released.customers.length} customer(s) and ${released.inquiries.length} inquiry(ies)`);
          } catch (error) {
            strapi.log.warn(`[crm] pool release: ${(error as Error).message}`);
          }
        },
        options: { rule: config.pool.cron },
      },
    });
  }
}
