import type { Core } from '@strapi/strapi';
import { FAQ_UID, PLUGIN_ID, SELLING_POINT_UID } from '../utils/constants';

/** Human labels and hints for the list and edit views (field names are camelCase). */
const LABELS: Record<string, { label: string; description?: string }> = {
  productKey: { label: 'Product key', description: 'Shopify handle or GID (gid://shopify/Product/123), or the SKU / slug your storefront uses' },
  position: { label: 'Position', description: 'Lower comes first; shared by every language' },
  question: { label: 'Question' },
  answer: { label: 'Answer', description: 'Markdown: **bold**, lists, links' },
  title: { label: 'Title' },
  body: { label: 'Body' },
  icon: { label: 'Icon', description: 'An icon name your storefront theme understands (e.g. bolt, shield, leaf)' },
  image: { label: 'Image' },
  updatedAt: { label: 'Updated' },
};

function withLabels(metadatas: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...metadatas };
  for (const [field, { label, description }] of Object.entries(LABELS)) {
    if (!out[field]) continue;
    out[field] = {
      ...out[field],
      list: { ...out[field].list, label },
      ...(out[field].edit ? { edit: { ...out[field].edit, label, ...(description ? { description } : {}) } } : {}),
    };
  }
  return out;
}

const LAYOUTS = [
  { uid: FAQ_UID, mainField: 'question', list: ['productKey', 'position', 'question', 'updatedAt'] },
  { uid: SELLING_POINT_UID, mainField: 'title', list: ['productKey', 'position', 'title', 'icon'] },
];

/**
 * Content teams work product by product: the Content Manager lists FAQ items and selling
 * points with their product key and position, sorted by product key, so filtering by
 * product and reordering by position is one glance. Applied once per type — later changes
 * the team makes in "Configure the view" are kept.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async apply(): Promise<string[]> {
    const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
    const done = ((await store.get({ key: 'cm-layout-applied' })) as string[] | null) ?? [];
    const cm = strapi.plugin('content-manager').service('content-types');
    const applied: string[] = [];
    for (const layout of LAYOUTS) {
      if (done.includes(layout.uid)) continue;
      const contentType = strapi.contentType(layout.uid);
      const current = await cm.findConfiguration(contentType);
      await cm.updateConfiguration(contentType, {
        settings: { ...current.settings, mainField: layout.mainField, defaultSortBy: 'productKey', defaultSortOrder: 'ASC', pageSize: 50 },
        metadatas: withLabels(current.metadatas),
        layouts: { ...current.layouts, list: layout.list },
      });
      applied.push(layout.uid);
    }
    if (applied.length > 0) await store.set({ key: 'cm-layout-applied', value: [...done, ...applied] });
    return applied;
  },
});
