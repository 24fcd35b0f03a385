/**
 * The CRM's admin permissions: the one list its admin routes (server), its menu links, pages
 * and buttons (admin/src) and the role defaults read. Strapi lists them under Settings → Roles
 * → Plugins → CRM. The admin bundle imports this file too: import nothing server-only here.
 *
 * "own" vs "all": a Sales user usually sees the customers and inquiries they own plus the
 * public pool; a manager reads all of them.
 */
import { PLUGIN_ID } from './utils/constants';

export const ACTIONS = {
  /** every customer (and their inquiries, timeline and follow-ups) */
  customersReadAll: 'plugin::crm.customers.read-all',
  /** only the customers one owns, and those in the public pool */
  customersReadOwn: 'plugin::crm.customers.read-own',
  /** edit profile fields, stage, tags; log follow-ups; assign an owner */
  customersUpdate: 'plugin::crm.customers.update',
  /** CSV export of customers and inquiries */
  customersExport: 'plugin::crm.customers.export',
  /** CSV import of customer lists */
  customersImport: 'plugin::crm.customers.import',
  /** merge two customers into one */
  customersMerge: 'plugin::crm.customers.merge',
  /** inquiries: the board, status changes, follow-ups, quotes */
  inquiriesManage: 'plugin::crm.inquiries.manage',
  /** claim from and release to the public pool */
  poolManage: 'plugin::crm.pool.manage',
  /** read saved segments and their counts */
  segmentsRead: 'plugin::crm.segments.read',
  /** create, edit and delete segments */
  segmentsManage: 'plugin::crm.segments.manage',
  /** who is on the storefront now */
  liveRead: 'plugin::crm.live.read',
} as const;

export type CrmAction = (typeof ACTIONS)[keyof typeof ACTIONS];

/** registered with Strapi at bootstrap; pluginName + uid make the ids above */
export const ACTION_DEFINITIONS = [
  { uid: 'customers.read-all', displayName: 'Read all customers', subCategory: 'customers' },
  { uid: 'customers.read-own', displayName: 'Read own and pool customers', subCategory: 'customers' },
  { uid: 'customers.update', displayName: 'Update customers, log follow-ups, assign', subCategory: 'customers' },
  { uid: 'customers.export', displayName: 'Export customers and inquiries (CSV)', subCategory: 'customers' },
  { uid: 'customers.import', displayName: 'Import customers (CSV)', subCategory: 'customers' },
  { uid: 'customers.merge', displayName: 'Merge customers', subCategory: 'customers' },
  { uid: 'inquiries.manage', displayName: 'Work on inquiries (status, follow-ups, quotes)', subCategory: 'inquiries' },
  { uid: 'pool.manage', displayName: 'Claim from and release to the public pool', subCategory: 'pool' },
  { uid: 'segments.read', displayName: 'Read segments', subCategory: 'segments' },
  { uid: 'segments.manage', displayName: 'Create, edit and delete segments', subCategory: 'segments' },
  { uid: 'live.read', displayName: 'See live visitors', subCategory: 'live' },
].map((action) => ({ section: 'plugins' as const, pluginName: PLUGIN_ID, ...action }));

/** The Sales role the CRM creates once (code `moat-sales`): own customers, inquiries and the pool. */
export const SALES_ROLE = {
  code: 'moat-sales',
  name: 'Sales',
  description: 'Moat sales: own customers and inquiries, the public pool, live visitors',
  actions: [
    ACTIONS.customersReadOwn,
    ACTIONS.customersUpdate,
    ACTIONS.inquiriesManage,
    ACTIONS.poolManage,
    ACTIONS.segmentsRead,
    ACTIONS.liveRead,
  ],
} as const;

/** What the built-in roles get (once; see src/role-defaults.ts). Customers are personal data: none. */
export const ROLE_DEFAULTS: Record<'strapi-editor' | 'strapi-author', string[]> = {
  'strapi-editor': [],
  'strapi-author': [],
};
