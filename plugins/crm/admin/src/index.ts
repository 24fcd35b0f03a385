/**
 * Customers are edited in the Content Manager; the plugin's admin part only registers the
 * plugin and brings the Content Manager's names and field labels of its content types in the
 * admin's languages.
 */
const PLUGIN_ID = 'crm';

export default {
  register(app: { registerPlugin(p: { id: string; name: string; isReady: boolean }): void }) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'CRM', isReady: true });
  },
  /** ./translations/<locale>.json: the Content Manager's own ids for this plugin's content types (names, field labels) */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
