import type { Core } from '@strapi/strapi';
import type { ShopifyConfig } from './config';
import { ACTION_DEFINITIONS } from './permissions';
import { PLUGIN_ID } from './utils/constants';
import { getService } from './utils/get-service';

let sweeper: NodeJS.Timeout | undefined;

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  // Settings → Roles → Plugins → Shopify: who may read the customer data exports (personal data),
  // see the backfill's progress, and start it; see the shops and webhooks, retry failed webhooks
  await strapi.service('admin::permission').actionProvider.registerMany(ACTION_DEFINITIONS);

  // published FAQs and selling points go to the products' metafields (the theme's FAQ block reads them)
  getService(strapi, 'metafields').watchContent();

  // abandoned checkouts: a periodic look for checkouts left without an order (services/checkouts.ts)
  const { abandonSweepMs } = strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;
  if (abandonSweepMs > 0) {
    let running = false;
    sweeper = setInterval(() => {
      if (running) return;
      running = true;
      getService(strapi, 'checkouts')
        .sweepAbandoned()
        .catch((error: Error) => strapi.log.error(`[shopify] abandoned-checkout sweep failed: ${error.message}`))
        .finally(() => {
          running = false;
        });
    }, abandonSweepMs);
    sweeper.unref();
  }

  // webhooks: workers and the reconciler run where MOAT_WORKERS is on (`npm run worker`, or every instance)
  getService(strapi, 'webhooks').start();

  // a backfill an earlier process left unfinished (a crash, a deploy) goes on here
  const resumed = await getService(strapi, 'backfill').resumeAll();
  if (resumed) strapi.log.info(`[shopify] resuming the backfill of ${resumed} shop(s)`);
};

/** stops the abandoned-checkout sweep (destroy.ts) */
export function stopSweeper(): void {
  if (sweeper) clearInterval(sweeper);
  sweeper = undefined;
}
