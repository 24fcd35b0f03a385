import { ChartPie } from '@strapi/icons';
import { PERMISSIONS } from './utils/permissions';

const PLUGIN_ID = 'insights';

interface AdminApp {
  registerPlugin(p: { id: string; name: string; isReady: boolean }): void;
  addMenuLink(link: unknown): void;
}

/** "Insights" page: funnel with the weakest stage, trends, sources, seasonality, what buyers ask. */
export default {
  register(app: AdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: ChartPie,
      intlLabel: { id: 'insights.menu', defaultMessage: 'Insights' },
      Component: () => import('./pages/App'),
      permissions: PERMISSIONS.read,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Insights', isReady: true });
  },
  /** ./translations/<locale>.json: keys carry the plugin id (`insights.…`); a missing language falls back to English */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
