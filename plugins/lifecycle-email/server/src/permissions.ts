/**
 * The lifecycle-email plugin's admin permissions: the one list its admin routes (server), its
 * menu link, page and edit-view panel (admin/src) and the built-in role defaults read. Strapi
 * lists them under Settings → Roles → Plugins → Lifecycle email. The admin bundle imports this
 * file too: import nothing server-only here.
 */
import { PLUGIN_ID } from './utils/constants';

export const ACTIONS = {
  /** render unsaved template values (the edit view's preview panel) */
  preview: 'plugin::lifecycle-email.preview',
  /** search CRM customers and preview / send a test with a real customer's data (personal data) */
  previewCustomer: 'plugin::lifecycle-email.preview.customer',
  /** send a saved template as a test to the admin's OWN address */
  sendTest: 'plugin::lifecycle-email.send-test',
  /** send a test to any address (a real send to whoever is typed in) */
  sendTestAny: 'plugin::lifecycle-email.send-test.any',
  /** the template gallery (templates by kind and language) */
  galleryRead: 'plugin::lifecycle-email.gallery.read',
  /** the local outbox: every message sent, with its recipient and body */
  outboxRead: 'plugin::lifecycle-email.outbox.read',
  /** the message log: every intended send with its status and reason (recipients' addresses) */
  messagesRead: 'plugin::lifecycle-email.messages.read',
  /** send a failed message again */
  messagesRetry: 'plugin::lifecycle-email.messages.retry',
  /** lifecycle flows: definitions, enrollment counts and per-step stats */
  flowsRead: 'plugin::lifecycle-email.flows.read',
  /** create, change, enable and disable flows (they send real mail) */
  flowsManage: 'plugin::lifecycle-email.flows.manage',
  /** campaigns and their progress */
  campaignsRead: 'plugin::lifecycle-email.campaigns.read',
  /** create, send, pause, resume and cancel campaigns (real mail to a whole segment) */
  campaignsManage: 'plugin::lifecycle-email.campaigns.manage',
} as const;

/** registered with Strapi at bootstrap; pluginName + uid make the ids above */
export const ACTION_DEFINITIONS = [
  { uid: 'preview', displayName: 'Preview templates while editing', subCategory: 'templates' },
  { uid: 'preview.customer', displayName: "Preview with a real customer's data", subCategory: 'templates' },
  { uid: 'gallery.read', displayName: 'See the template gallery', subCategory: 'templates' },
  { uid: 'send-test', displayName: 'Send a test to their own address', subCategory: 'test emails' },
  { uid: 'send-test.any', displayName: 'Send a test to any address', subCategory: 'test emails' },
  { uid: 'outbox.read', displayName: 'Read the outbox (sent messages)', subCategory: 'outbox' },
  { uid: 'messages.read', displayName: 'Search the message log', subCategory: 'message log' },
  { uid: 'messages.retry', displayName: 'Retry failed messages', subCategory: 'message log' },
  { uid: 'flows.read', displayName: 'See flows and their enrollments', subCategory: 'flows' },
  { uid: 'flows.manage', displayName: 'Create, change, enable and disable flows', subCategory: 'flows' },
  { uid: 'campaigns.read', displayName: 'See campaigns and their progress', subCategory: 'campaigns' },
  { uid: 'campaigns.manage', displayName: 'Create, send, pause and cancel campaigns', subCategory: 'campaigns' },
].map((action) => ({ section: 'plugins' as const, pluginName: PLUGIN_ID, ...action }));

/**
 * What the built-in roles get (once; see src/role-defaults.ts). Editors work on templates:
 * preview, gallery, and tests to themselves only (send-test.any stays with Super Admin). Authors
 * get nothing here: the outbox holds real recipients' mail. Previewing with a real customer's
 * data (preview.customer) and campaigns (real mail to whole segments) are given to no built-in
 * role: an administrator grants them on purpose. Super Admin has every action anyway.
 */
export const ROLE_DEFAULTS: Record<'strapi-editor' | 'strapi-author', string[]> = {
  'strapi-editor': [ACTIONS.preview, ACTIONS.galleryRead, ACTIONS.sendTest],
  'strapi-author': [],
};
