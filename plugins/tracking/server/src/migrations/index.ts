import type { PluginMigration } from '@moat/plugin-kit';
import { products } from './products';
import { timelineFilterIndexes } from './timeline-filter-indexes';
import { touchpoints } from './touchpoints';
import { webhookDeliveries } from './webhook-deliveries';

/**
 * The tracking plugin's own tables, in order (run by @moat/plugin-kit from register; recorded
 * in moat_plugin_migrations). Append new steps; never rename or reorder released ones. The
 * names are those of the app migrations that made these tables before the plugin owned them.
 */
export const migrations: PluginMigration[] = [touchpoints, timelineFilterIndexes, webhookDeliveries, products];
