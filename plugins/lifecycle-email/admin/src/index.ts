import { PreviewPanel } from './components/PreviewPanel';

const PLUGIN_ID = 'lifecycle-email';

/** Adds the live email preview to the Content Manager's edit view of email templates. */
export default {
  register(app: { registerPlugin(p: { id: string; name: string; isReady: boolean }): void }) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Lifecycle email', isReady: true });
  },
  bootstrap(app: { getPlugin(id: string): { apis: { addEditViewSidePanel(panels: unknown[]): void } } }) {
    app.getPlugin('content-manager').apis.addEditViewSidePanel([PreviewPanel]);
  },
};
