import { Session } from '@shopify/shopify-api';
import type { Core } from '@strapi/strapi';
import type { ShopifyConfig } from '../config';
import { PLUGIN_ID, TABLES } from '../utils/constants';
import { TokenCipher } from '../utils/token-cipher';

interface SessionRow {
  id: string;
  shop: string;
  state: string | null;
  is_online: boolean | number;
  scope: string | null;
  expires: number | string | null;
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  refresh_token_expires: number | string | null;
  online_access_info: string | null;
  updated_at: number | string;
}

/**
 * @shopify/shopify-api's SessionStorage shape (storeSession, loadSession, deleteSession,
 * deleteSessions, findSessionsByShop) on a table of this plugin, for any number of shops. Access
 * and refresh tokens are stored AES-256-GCM encrypted (TokenCipher), bound to the session id.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let cipher: TokenCipher | undefined;
  const seal = () => (cipher ??= new TokenCipher((strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig).tokenKey));
  const table = () => strapi.db.connection(TABLES.sessions);

  const toSession = (row: SessionRow): Session =>
    new Session({
      id: row.id,
      shop: row.shop,
      state: row.state ?? '',
      isOnline: Boolean(row.is_online),
      scope: row.scope ?? undefined,
      expires: row.expires != null ? new Date(Number(row.expires)) : undefined,
      accessToken: row.access_token_enc ? seal().decrypt(row.access_token_enc, row.id) : undefined,
      refreshToken: row.refresh_token_enc ? seal().decrypt(row.refresh_token_enc, `${row.id}#refresh`) : undefined,
      refreshTokenExpires: row.refresh_token_expires != null ? new Date(Number(row.refresh_token_expires)) : undefined,
      onlineAccessInfo: row.online_access_info ? JSON.parse(row.online_access_info) : undefined,
    });

  return {
    async storeSession(session: Session): Promise<boolean> {
      const row: SessionRow = {
        id: session.id,
        shop: session.shop,
        state: session.state ?? null,
        is_online: session.isOnline,
        scope: session.scope ?? null,
        expires: session.expires ? session.expires.getTime() : null,
        access_token_enc: session.accessToken ? seal().encrypt(session.accessToken, session.id) : null,
        refresh_token_enc: session.refreshToken ? seal().encrypt(session.refreshToken, `${session.id}#refresh`) : null,
        refresh_token_expires: session.refreshTokenExpires ? session.refreshTokenExpires.getTime() : null,
        online_access_info: session.onlineAccessInfo ? JSON.stringify(session.onlineAccessInfo) : null,
        updated_at: Date.now(),
      };
      const { id: _id, ...rest } = row;
      await table().insert(row).onConflict('id').merge(rest);
      return true;
    },
    async loadSession(id: string): Promise<Session | undefined> {
      const row = await table().where({ id }).first();
      return row ? toSession(row) : undefined;
    },
    async deleteSession(id: string): Promise<boolean> {
      await table().where({ id }).delete();
      return true;
    },
    async deleteSessions(ids: string[]): Promise<boolean> {
      if (ids.length) await table().whereIn('id', ids).delete();
      return true;
    },
    async findSessionsByShop(shop: string): Promise<Session[]> {
      return ((await table().where({ shop })) as SessionRow[]).map(toSession);
    },
  };
};
