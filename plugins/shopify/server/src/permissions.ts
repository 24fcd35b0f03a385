/**
 * The shopify plugin's admin permissions, in one place (same scheme as insights and tracking):
 * bootstrap registers them, every admin route lists one, the admin page hides what is not held.
 * The admin bundle imports this file too: import nothing server-only here.
 */
import { BACKFILL_READ, BACKFILL_RUN, EXPORTS_READ, PLUGIN_ID, SHOPS_READ, WEBHOOKS_READ, WEBHOOKS_RETRY } from './utils/constants';

export const ACTIONS = {
  /** the customer data exports made for customers/data_request (personal data) */
  exportsRead: EXPORTS_READ,
  /** the backfill's progress per shop */
  backfillRead: BACKFILL_READ,
  /** start or resume a shop's backfill */
  backfillRun: BACKFILL_RUN,
  /** the connected shops (domain, installed at, scopes) */
  shopsRead: SHOPS_READ,
  /** received webhooks and their status */
  webhooksRead: WEBHOOKS_READ,
  /** queue a failed webhook again */
  webhooksRetry: WEBHOOKS_RETRY,
} as const;

/** Settings → Roles → Plugins → Shopify */
export const ACTION_DEFINITIONS = [
  { uid: 'exports.read', displayName: 'Read customer data exports' },
  { uid: 'backfill.read', displayName: 'See the import of existing data' },
  { uid: 'backfill.run', displayName: 'Start the import of existing data' },
  { uid: 'shops.read', displayName: 'See connected shops' },
  { uid: 'webhooks.read', displayName: 'See received webhooks' },
  { uid: 'webhooks.retry', displayName: 'Retry failed webhooks' },
].map((action) => ({ section: 'plugins' as const, pluginName: PLUGIN_ID, ...action }));
