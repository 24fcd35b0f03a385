/**
 * Product content is edited in the Content Manager (FAQ item, Selling point); the plugin
 * registers itself so the admin knows it, adds no page of its own yet, and brings the
 * Content Manager's names and field labels of its content types in the admin's languages.
 */
const PLUGIN_ID = 'product-content';

export default {
  register(app: { registerPlugin(p: { id: string; name: string; isReady: boolean }): void }) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Product content', isReady: true });
  },
  /** ./translations/<locale>.json: the Content Manager's own ids for this plugin's content types (names, field labels) */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
