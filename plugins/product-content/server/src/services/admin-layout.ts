import type { Core } from '@strapi/strapi';
import { FAQ_UID, PLUGIN_ID, SELLING_POINT_UID } from '../utils/constants';

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
        metadatas: current.metadatas,
        layouts: { ...current.layouts, list: layout.list },
      });
      applied.push(layout.uid);
    }
    if (applied.length > 0) await store.set({ key: 'cm-layout-applied', value: [...done, ...applied] });
    return applied;
  },
});
