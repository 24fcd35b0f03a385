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
      intlLabel: { id: `${PLUGIN_ID}.menu`, defaultMessage: 'Tracking' },
      Component: () => import('./pages/App'),
      // hidden from admins whose role cannot read the overview (the page's own API)
      permissions: PERMISSIONS.overviewRead,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Tracking', isReady: true });
  },
};
