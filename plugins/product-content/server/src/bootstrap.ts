import type { Core } from '@strapi/strapi';
import { FAQ_UID, PLUGIN_ID, SELLING_POINT_UID } from './utils/constants';
import { getService } from './utils/get-service';

/**
 * Every storefront read filters by product key; Strapi's schema sync creates no such index,
 * and it leaves indexes it did not create alone, so adding it here is safe on each start.
 */
async function ensureIndexes(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection;
  for (const uid of [FAQ_UID, SELLING_POINT_UID]) {
    const table = strapi.db.metadata.get(uid).tableName;
    await knex.raw(`CREATE INDEX IF NOT EXISTS ?? ON ?? (product_key, locale, published_at)`, [`${table}_product_key_idx`, table]);
  }
}

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await ensureIndexes(strapi);
  getService(strapi, 'response-cache').watchWrites();
  await getService(strapi, 'admin-layout').apply();
  if (strapi.plugin(PLUGIN_ID).config('demo')) await getService(strapi, 'demo-seed').run();
};
