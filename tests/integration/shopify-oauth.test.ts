/**
 * Install against a local stand-in for Shopify's OAuth endpoint (MOAT_SHOPIFY_API_ORIGIN): the
 * authorization-code grant and the embedded app's token exchange; tokens at rest are encrypted.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_KEY, APP_SECRET } from '../fixtures/shopify';
import { sessionToken } from '../helpers/shopify-session-token';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36';
const suffix = Date.now().toString(36);
const shopName = (n: string) => `moat-oauth-${n}-${suffix}.myshopify.com`;

interface TokenCall {
  shop: string;
  body: Record<string, string>;
}

/** Shopify's POST https://<shop>/admin/oauth/access_token, reached as <stand-in>/<shop>/admin/oauth/access_token. */
async function shopifyStandIn() {
  const calls: TokenCall[] = [];
  const issued = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const match = /^\/([a-z0-9-]+\.myshopify\.com)\/admin\/oauth\/access_token$/.exec(req.url ?? '');
      const body = raw.startsWith('{') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
      if (!match || req.method !== 'POST') return res.writeHead(404).end();
      calls.push({ shop: match[1], body });
      const valid = body.client_id === APP_KEY && body.client_secret === APP_SECRET && (body.code === 'good-code' || body.grant_type === 'urn:ietf:params:oauth:grant-type:token-exchange');
      if (!valid) return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request' }));
      const token = `shpat_${randomUUID().replace(/-/g, '')}`;
      issued.set(match[1], token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, scope: 'read_products,read_orders' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, issued, close: () => new Promise((r) => server.close(r)) };
}

/** The query Shopify redirects back with: hex HMAC over the other parameters, sorted, as a query string. */
function callbackQuery(params: Record<string, string>, secret = APP_SECRET) {
  const sorted = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  const hmac = createHmac('sha256', secret).update(sorted.toString()).digest('hex');
  return `${sorted}&hmac=${hmac}`;
}

describe('Shopify install (OAuth and token exchange)', () => {
  let app: BootedStrapi;
  let standIn: Awaited<ReturnType<typeof shopifyStandIn>>;
  beforeAll(async () => {
    standIn = await shopifyStandIn();
    app = await bootStrapi({
      env: { SHOPIFY_API_KEY: APP_KEY, SHOPIFY_API_SECRET: APP_SECRET, SHOPIFY_APP_URL: 'https://moat.example.com', MOAT_SHOPIFY_API_ORIGIN: standIn.url },
    });
  });
  afterAll(async () => {
    await app?.destroy();
    await standIn?.close();
  });

  const knex = () => app.strapi.db.connection;

  /** every row of every table, as text: the stored token must appear nowhere */
  async function databaseText(): Promise<string> {
    const tables: string[] =
      app.database.client === 'postgres'
        ? (await knex().raw("select tablename from pg_tables where schemaname = current_schema()")).rows.map((r: { tablename: string }) => r.tablename)
        : (await knex().raw("select name from sqlite_master where type = 'table'")).map((r: { name: string }) => r.name);
    let text = '';
    for (const table of tables) text += JSON.stringify(await knex()(table).select('*'));
    return text;
  }

  async function install(shop: string) {
    const begin = await app.request.get(`/api/shopify/auth?shop=${shop}`).set('User-Agent', BROWSER);
    expect(begin.status).toBe(302);
    const location = new URL(begin.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(`https://${shop}/admin/oauth/authorize`);
    expect(location.searchParams.get('client_id')).toBe(APP_KEY);
    expect(location.searchParams.get('redirect_uri')).toBe('https://moat.example.com/api/shopify/auth/callback');
    const state = location.searchParams.get('state') as string;
    const cookies = (begin.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const query = callbackQuery({ code: 'good-code', shop, state, timestamp: String(Math.floor(Date.now() / 1000)), host: Buffer.from(`admin.shopify.com/store/${shop.split('.')[0]}`).toString('base64url') });
    return { callback: () => app.request.get(`/api/shopify/auth/callback?${query}`).set('User-Agent', BROWSER).set('Cookie', cookies), query, cookies };
  }

  it('installs two shops by the authorization-code grant; each token is stored encrypted, nowhere readable in the database', async () => {
    const shops = [shopName('a'), shopName('b')];
    for (const shop of shops) {
      const { callback } = await install(shop);
      const res = await callback();
      expect(res.status).toBe(302);
      expect(standIn.calls.filter((c) => c.shop === shop).map((c) => c.body.code)).toEqual(['good-code']);
      expect(await knex()('shopify_shops').where({ shop }).first()).toMatchObject({ shop, scope: 'read_products,read_orders', uninstalled_at: null });
    }
    const storage = app.strapi.plugin('shopify').service('session-storage');
    const text = await databaseText();
    for (const shop of shops) {
      const token = standIn.issued.get(shop) as string;
      expect(token).toMatch(/^shpat_/);
      const [session] = await storage.findSessionsByShop(shop);
      expect(session).toMatchObject({ id: `offline_${shop}`, shop, isOnline: false, accessToken: token });
      expect(text).toContain(`offline_${shop}`);
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.slice(6, 30));
    }
    const row = await knex()('shopify_sessions').where({ id: `offline_${shops[0]}` }).first();
    expect(row.access_token_enc).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses a callback with a tampered HMAC, a missing state cookie or a code Shopify rejects (401), storing nothing', async () => {
    const shop = shopName('c');
    const { query, cookies } = await install(shop);
    const tampered = query.replace('good-code', 'evil-code');
    expect((await app.request.get(`/api/shopify/auth/callback?${tampered}`).set('User-Agent', BROWSER).set('Cookie', cookies)).status).toBe(401);
    expect((await app.request.get(`/api/shopify/auth/callback?${query}`).set('User-Agent', BROWSER)).status).toBe(401);
    const rejected = await install(shop);
    const badCode = callbackQuery({ code: 'expired-code', shop, state: new URLSearchParams(rejected.query).get('state') as string, timestamp: String(Math.floor(Date.now() / 1000)) });
    expect((await app.request.get(`/api/shopify/auth/callback?${badCode}`).set('User-Agent', BROWSER).set('Cookie', rejected.cookies)).status).toBe(401);
    expect(await knex()('shopify_sessions').where({ shop })).toEqual([]);
    expect(await knex()('shopify_shops').where({ shop })).toEqual([]);
    expect((await app.request.get('/api/shopify/auth?shop=evil.example.com').set('User-Agent', BROWSER)).status).toBe(400);
  });

  it("exchanges an embedded app's session token for an offline token; a forged session token is 401", async () => {
    const shop = shopName('d');
    const token = sessionToken(shop);
    const res = await app.request.post('/api/shopify/auth/token-exchange').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ shop, scope: 'read_products,read_orders' });
    const call = standIn.calls.find((c) => c.shop === shop);
    expect(call?.body).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange', subject_token: token, requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token' });
    const [session] = await app.strapi.plugin('shopify').service('session-storage').findSessionsByShop(shop);
    expect(session.accessToken).toBe(standIn.issued.get(shop));
    expect(await databaseText()).not.toContain(standIn.issued.get(shop));

    const forged = await app.request.post('/api/shopify/auth/token-exchange').set('Authorization', `Bearer ${sessionToken(shopName('e'), { secret: 'shpss_someone_elses_secret_0000000' })}`);
    expect(forged.status).toBe(401);
    expect((await app.request.post('/api/shopify/auth/token-exchange')).status).toBe(401);
    expect(await knex()('shopify_shops').where({ shop: shopName('e') })).toEqual([]);
  });
});
