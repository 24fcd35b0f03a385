/**
 * The CRM's admin: the "Customers" menu link (customer list, customer page, inquiry board,
 * live visitors, CSV import/export), shown to roles that read customers (all, or their own and
 * the pool's); plus the Content Manager's names and field labels of its content types.
 */
import { Filter, User } from '@strapi/icons';
import { ACTIONS } from '../../server/src/permissions';
import { READ_CUSTOMERS } from './utils/permissions';

const PLUGIN_ID = 'crm';

interface AdminApp {
  registerPlugin(p: { id: string; name: string; isReady: boolean }): void;
  addMenuLink(link: unknown): void;
}

export default {
  register(app: AdminApp) {
    app.addMenuLink({
      to: `plugins/${PLUGIN_ID}`,
      icon: User,
      intlLabel: { id: 'crm.menu', defaultMessage: 'Customers' },
      Component: () => import('./pages/App'),
      permissions: READ_CUSTOMERS,
    });
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
  /** ./translations/<locale>.json: the CRM's screens (`crm.…`) and the Content Manager's own ids for its content types */
  registerTrads: ({ locales }: { locales: string[] }) =>
    Promise.all(locales.map((locale) => import(`./translations/${locale}.json`).then((m) => ({ locale, data: m.default }), () => ({ locale, data: {} })))),
};
