import { Eye } from '@strapi/icons';
import { PERMISSIONS } from './utils/permissions';

const PLUGIN_ID = 'tracking';

interface AdminApp {
  registerPlugin(p: { id: string; name: string; isReady: boolean }): void;
  addMenuLink(link: unknown): void;
}

/** "Tracking" page: the install snippet per site, the last 24 hours, live touchpoints. */
export default {
  register(app: AdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: Eye,
      intlLabel: { id: 'tracking.menu', defaultMessage: 'Tracking' },
      Component: () => import('./pages/App'),
      // hidden from admins whose role cannot read the overview (the page's own API)
      permissions: PERMISSIONS.overviewRead,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Tracking', isReady: true });
  },
  /** ./translations/<locale>.json: keys already carry the plugin id (`tracking.…`); a missing language falls back to English */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
