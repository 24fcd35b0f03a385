/**
 * The insights plugin's admin permissions (same scheme as tracking/server/src/permissions.ts).
 * The admin bundle imports this file too: import nothing server-only here.
 */
import { PLUGIN_ID } from './utils/constants';

export const ACTIONS = {
  /** the Insights dashboard and every read route (funnel, sources, seasonality, questions, alert) */
  read: 'plugin::insights.dashboard.read',
  /** upload ad spend (CSV) */
  spendManage: 'plugin::insights.spend.manage',
  /** rebuild the rollups from raw touchpoints, send the digest now */
  admin: 'plugin::insights.maintenance',
} as const;

export const ACTION_DEFINITIONS = [
  { uid: 'dashboard.read', displayName: 'See the Insights dashboard', subCategory: 'dashboard' },
  { uid: 'spend.manage', displayName: 'Upload ad spend', subCategory: 'spend' },
  { uid: 'maintenance', displayName: 'Rebuild rollups and send the digest', subCategory: 'maintenance' },
].map((action) => ({ section: 'plugins' as const, pluginName: PLUGIN_ID, ...action }));

/** Built-in roles: none (revenue and spend are management data). */
export const ROLE_DEFAULTS: Record<'strapi-editor' | 'strapi-author', string[]> = {
  'strapi-editor': [],
  'strapi-author': [],
};
