/**
 * The tracking plugin's admin permissions: the one list its admin routes (server), its menu
 * link, page and buttons (admin/src) and the built-in role defaults read. Strapi lists them
 * under Settings → Roles → Plugins → Tracking. The admin bundle imports this file too: import
 * nothing server-only here.
 */
import { PLUGIN_ID } from './utils/constants';

export const ACTIONS = {
  /** the Tracking page: install snippets, 24-hour counts, latest touchpoints */
  overviewRead: 'plugin::tracking.overview.read',
  /** list site keys and their allowed origins */
  sitesRead: 'plugin::tracking.sites.read',
  /** add a site key, change its origins, remove it (changes what collect accepts) */
  sitesManage: 'plugin::tracking.sites.manage',
  /** any customer's touchpoint timeline */
  timelineRead: 'plugin::tracking.timeline.read',
} as const;

/** registered with Strapi at bootstrap; pluginName + uid make the ids above */
export const ACTION_DEFINITIONS = [
  { uid: 'overview.read', displayName: 'See the Tracking page', subCategory: 'overview' },
  { uid: 'sites.read', displayName: 'Read site keys', subCategory: 'sites' },
  { uid: 'sites.manage', displayName: 'Add, edit and remove site keys', subCategory: 'sites' },
  { uid: 'timeline.read', displayName: "Read customers' timelines", subCategory: 'customers' },
].map((action) => ({ section: 'plugins' as const, pluginName: PLUGIN_ID, ...action }));

/**
 * What the built-in roles get (once; see src/role-defaults.ts). Touchpoints are customer data:
 * neither Editor nor Author gets any. Super Admin has every action anyway.
 */
export const ROLE_DEFAULTS: Record<'strapi-editor' | 'strapi-author', string[]> = {
  'strapi-editor': [],
  'strapi-author': [],
};
