/**
 * A local stand-in for Shopify's Admin REST API (reached through MOAT_SHOPIFY_API_ORIGIN as
 * <origin>/<shop>/admin/api/<version>/...): customers, products and orders with Link-header
 * cursor pagination, count endpoints, the access-token check, and misbehaviour on demand —
 * 429 with Retry-After and 503 at random, a nearly full call-limit bucket now and then.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { shopifyCustomer, shopifyOrder, shopifyProduct } from '../fixtures/shopify';

export interface StandInShop {
  token: string;
  customers: number;
  products: number;
  orders: number;
  /** first Shopify id of this shop's entities (ids are unique per test run) */
  firstId: number;
  /** extra orders served first, with these exact payloads */
  extraOrders?: unknown[];
}

export interface ServedRequest {
  shop: string;
  resource: string;
  pageInfo: string | null;
  status: number;
  at: number;
}

export interface StandInOptions {
  /** probability of answering 429 (Retry-After: retryAfter seconds) */
  rate429?: number;
  retryAfter?: string;
  /** answer each shop's first Admin API call 429 (so a run always meets one, whatever the dice say) */
  first429?: boolean;
  /** probability of answering 503 */
  rate503?: number;
  /** probability of reporting the call-limit bucket as 33/40 (over the client's 80 % mark) */
  rateFullBucket?: number;
}

const T0 = Date.UTC(2026, 0, 1);

export function entitiesOf(shop: StandInShop) {
  const customer = (i: number) => shopifyCustomer(shop.firstId + i, T0 + i * 1000);
  const product = (i: number) => shopifyProduct(shop.firstId + 100_000 + i, T0 + i * 1000);
  const order = (i: number) => {
    const extra = shop.extraOrders ?? [];
    if (i < extra.length) return extra[i];
    const k = i - extra.length;
    return shopifyOrder(shop.firstId + 200_000 + k, customer(k % Math.max(1, shop.customers)), T0 + 3_600_000 + k * 1000, k % 7 === 0 ? { fulfillment_status: 'fulfilled', financial_status: 'paid' } : {});
  };
  return { customer, product, order, counts: { customers: shop.customers, products: shop.products, orders: shop.orders + (shop.extraOrders?.length ?? 0) } };
}

export async function adminApiStandIn(shops: Map<string, StandInShop>, options: StandInOptions = {}) {
  const served: ServedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    // the install's token exchange: the shop's token, as Shopify's OAuth endpoint issues it
    const oauth = /^\/([a-z0-9-]+\.myshopify\.com)\/admin\/oauth\/access_token$/.exec(url.pathname);
    if (oauth && req.method === 'POST' && shops.has(oauth[1])) {
      req.resume();
      return req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: shops.get(oauth[1])?.token, scope: 'read_customers,read_orders,read_products' })));
    }
    const match = /^\/([a-z0-9-]+\.myshopify\.com)\/admin\/api\/[\w-]+\/(customers|products|orders)(\/count)?\.json$/.exec(url.pathname);
    const shop = match ? shops.get(match[1]) : undefined;
    const log = (status: number) => served.push({ shop: match?.[1] ?? '', resource: match?.[2] ?? url.pathname, pageInfo: url.searchParams.get('page_info'), status, at: Date.now() });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      log(status);
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (!match || !shop || req.method !== 'GET') return json(404, { errors: 'Not Found' });
    if (req.headers['x-shopify-access-token'] !== shop.token) return json(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    const first = options.first429 && !served.some((r) => r.shop === match[1]);
    if (first || Math.random() < (options.rate429 ?? 0)) return json(429, { errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' }, { 'Retry-After': options.retryAfter ?? '1.0', 'X-Shopify-Shop-Api-Call-Limit': '40/40' });
    if (Math.random() < (options.rate503 ?? 0)) return json(503, { errors: 'Service Unavailable' });
    const limitHeader = { 'X-Shopify-Shop-Api-Call-Limit': Math.random() < (options.rateFullBucket ?? 0) ? '33/40' : '1/40' };
    const resource = match[2] as 'customers' | 'products' | 'orders';
    const entities = entitiesOf(shop);
    if (match[3]) return json(200, { count: entities.counts[resource] }, limitHeader);
    const pageInfo = url.searchParams.get('page_info');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    if (!(limit >= 1 && limit <= 250)) return json(400, { errors: { limit: 'must be 1-250' } });
    let start = 0;
    if (pageInfo) {
      // Shopify refuses filters next to page_info: the cursor carries them
      if ([...url.searchParams.keys()].some((k) => k !== 'limit' && k !== 'page_info' && k !== 'fields')) return json(400, { errors: { page_info: 'page_info cannot be combined with other filters' } });
      const cursor = JSON.parse(Buffer.from(pageInfo, 'base64url').toString());
      if (cursor.r !== resource) return json(400, { errors: { page_info: 'Invalid value.' } });
      start = cursor.after;
    } else if (resource === 'orders' && url.searchParams.get('status') !== 'any') {
      // without status=any Shopify lists open orders only: a backfill must ask for all
      return json(200, { orders: [] }, limitHeader);
    }
    const total = entities.counts[resource];
    const end = Math.min(total, start + limit);
    const make = resource === 'customers' ? entities.customer : resource === 'products' ? entities.product : entities.order;
    const items = [];
    for (let i = start; i < end; i++) items.push(make(i));
    const headers: Record<string, string> = { ...limitHeader };
    const link = (after: number, rel: string) => `<${url.origin}${url.pathname}?limit=${limit}&page_info=${Buffer.from(JSON.stringify({ r: resource, after })).toString('base64url')}>; rel="${rel}"`;
    const links = [start > 0 ? link(Math.max(0, start - limit), 'previous') : null, end < total ? link(end, 'next') : null].filter(Boolean);
    if (links.length) headers.Link = links.join(', ');
    return json(200, { [resource]: items }, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
