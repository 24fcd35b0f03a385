/**
 * Product content is edited in the Content Manager (FAQ item, Selling point); the plugin
 * registers itself so the admin knows it, and adds no page of its own yet.
 */
const PLUGIN_ID = 'product-content';

export default {
  register(app: { registerPlugin(p: { id: string; name: string; isReady: boolean }): void }) {
    app.registerPlugin({ id: PLUGIN_ID, name: 'Product content', isReady: true });
  },
};
