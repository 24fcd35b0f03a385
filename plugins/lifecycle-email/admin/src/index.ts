import { Mail, PaperPlane } from '@strapi/icons';
import { PreviewPanel } from './components/PreviewPanel';
import { PERMISSIONS } from './utils/permissions';

const PLUGIN_ID = 'lifecycle-email';

interface AdminApp {
  registerPlugin(p: { id: string; name: string; isReady: boolean }): void;
  addMenuLink(link: unknown): void;
  getPlugin(id: string): { apis: { addEditViewSidePanel(panels: unknown[]): void } };
}

/** Menu pages (gallery + outbox; campaigns) and the live email preview in the Content Manager edit view. */
export default {
  register(app: AdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: PaperPlane,
      intlLabel: { id: 'lifecycle-email.menu', defaultMessage: 'Lifecycle email' },
      Component: () => import('./pages/App'),
      // shown to admins who may read any section of the page (flows, gallery, message log, outbox)
      permissions: [...PERMISSIONS.galleryRead, ...PERMISSIONS.outboxRead, ...PERMISSIONS.messagesRead, ...PERMISSIONS.flowsRead],
    });
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}-campaigns`,
      icon: Mail,
      intlLabel: { id: 'lifecycle-email.menu.campaigns', defaultMessage: 'Campaigns' },
      Component: () => import('./pages/Campaigns'),
      permissions: PERMISSIONS.campaignsRead,
    });
    app.registerPlugin({ id: PLUGIN_ID, name: 'Lifecycle email', isReady: true });
  },
  bootstrap(app: AdminApp) {
    app.getPlugin('content-manager').apis.addEditViewSidePanel([PreviewPanel]);
  },
  /**
   * ./translations/<locale>.json: keys carry the plugin id (`lifecycle-email.…`), or are the
   * Content Manager's own ids for this plugin's content types (names and field labels)
   */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
