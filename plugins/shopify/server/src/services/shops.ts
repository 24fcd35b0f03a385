import type { Core } from '@strapi/strapi';
import { TABLES } from '../utils/constants';

export interface ShopRow {
  shop: string;
  scope: string | null;
  installed_at: number | string;
  uninstalled_at: number | string | null;
  updated_at: number | string;
}

/** The shops that installed the app, and whether they still have it. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const table = () => strapi.db.connection(TABLES.shops);
  return {
    async get(shop: string): Promise<ShopRow | undefined> {
      return table().where({ shop }).first();
    },
    /** installed: known and not uninstalled since */
    async state(shop: string): Promise<'installed' | 'uninstalled' | 'unknown'> {
      const row = await this.get(shop);
      return !row ? 'unknown' : row.uninstalled_at == null ? 'installed' : 'uninstalled';
    },
    /** Every shop that installed the app, newest first (the admin's shop list). */
    async list(): Promise<Array<{ shop: string; scopes: string[]; installedAt: number; uninstalledAt: number | null; status: 'installed' | 'uninstalled' }>> {
      const rows: ShopRow[] = await table().orderBy('installed_at', 'desc').limit(500);
      return rows.map((r) => ({
        shop: r.shop,
        scopes: (r.scope ?? '').split(',').filter(Boolean),
        installedAt: Number(r.installed_at),
        uninstalledAt: r.uninstalled_at == null ? null : Number(r.uninstalled_at),
        status: r.uninstalled_at == null ? 'installed' : 'uninstalled',
      }));
    },
    /** An install or re-install (OAuth callback, token exchange). */
    async install(shop: string, scope: string | null) {
      const now = Date.now();
      await table()
        .insert({ shop, scope, installed_at: now, uninstalled_at: null, updated_at: now })
        .onConflict('shop')
        .merge({ scope, installed_at: now, uninstalled_at: null, updated_at: now });
    },
    /** app/uninstalled: the shop is marked, its sessions (access tokens) deleted. */
    async uninstall(shop: string) {
      const now = Date.now();
      await strapi.db.connection.transaction(async (trx) => {
        await trx(TABLES.shops).where({ shop }).update({ uninstalled_at: now, updated_at: now });
        await trx(TABLES.sessions).where({ shop }).delete();
      });
    },
  };
};
