/**
 * Customers are edited in the Content Manager; the plugin's admin part only registers the
 * plugin and brings the Content Manager's names and field labels of its content types in the
 * admin's languages.
 */
import { Filter } from '@strapi/icons';
import { ACTIONS } from '../../server/src/permissions';

const PLUGIN_ID = 'crm';

export default {
  register(app: { registerPlugin(p: { id: string; name: string; isReady: boolean }): void; addMenuLink(link: unknown): void }) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'CRM', isReady: true });
    // Segments: the rule builder with live counts (segments.read)
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}/segments`,
      icon: Filter,
      intlLabel: { id: 'crm.menu.segments', defaultMessage: 'Segments' },
      Component: () => import('./pages/Segments'),
      permissions: [{ action: ACTIONS.segmentsRead, subject: null }],
    });
  },
  /** ./translations/<locale>.json: the Content Manager's own ids for this plugin's content types (names, field labels) */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
