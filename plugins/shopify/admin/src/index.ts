import { ShoppingCart } from '@strapi/icons';
import { PERMISSIONS } from './utils/permissions';

const PLUGIN_ID = 'shopify';

interface AdminApp {
  registerPlugin(p: { id: string; name: string; isReady: boolean }): void;
  addMenuLink(link: unknown): void;
}

/** "Shopify" page: connected shops, each shop's backfill progress, recent webhooks and their status. */
export default {
  register(app: AdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ShoppingCart,
      intlLabel: { id: 'shopify.menu', defaultMessage: 'Shopify' },
      Component: () => import('./pages/App'),
      // any one of them opens the page; each section shows only with its own
      permissions: [...PERMISSIONS.shopsRead, ...PERMISSIONS.backfillRead, ...PERMISSIONS.webhooksRead],
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Shopify', isReady: true });
  },
  /** ./translations/<locale>.json: keys carry the plugin id (`shopify.…`); a missing language falls back to English */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
