import type { Core } from '@strapi/strapi';
import type { Context, Next } from 'koa';
import { TOUCHPOINTS_TABLE, VISITORS_TABLE } from '../utils/constants';
import { crmCustomers } from '../utils/crm';
import { getService } from '../utils/get-service';
import { demoPage, thanksPage } from './page';

const cart = { items: [] as { id: number; quantity: number }[] };

/**
 * The demo storefront at /moat/demo (development only): a product page with a Shopify-style
 * cart API and forms, carrying the tracker, plus a live list of what was stored.
 */
export function createDemoMiddleware(strapi: Core.Strapi) {
  return async (ctx: Context, next: Next) => {
    if (!ctx.path.startsWith('/moat/demo')) return next();
    const sub = ctx.path.slice('/moat/demo'.length) || '/';
    if (ctx.method === 'GET' && (sub === '/' || sub === '')) {
      ctx.type = 'html';
      ctx.body = demoPage(ctx.query.posted as string | undefined);
      return;
    }
    const cartMatch = /^\/cart\/(add|change|update|clear)(\.js)?$/.exec(sub);
    if (ctx.method === 'POST' && cartMatch) {
      // a toy cart: enough for the tracker's fetch/XHR wrapping to have something to see
      if (cartMatch[1] === 'clear') cart.items = [];
      else if (cartMatch[1] === 'add') cart.items.push({ id: 4242, quantity: 1 });
      ctx.body = { item_count: cart.items.reduce((n, i) => n + i.quantity, 0), items: cart.items };
      return;
    }
    if (ctx.method === 'POST' && (sub === '/contact' || sub === '/rfq')) {
      ctx.type = 'html';
      ctx.body = thanksPage(sub.slice(1));
      return;
    }
    if (ctx.method === 'GET' && sub === '/events') {
      const visitor = String(ctx.query.visitor ?? '').slice(0, 64);
      const row = await strapi.db.connection(VISITORS_TABLE).where({ visitor_id: visitor }).first('customer_id');
      const events = await strapi.db
        .connection(TOUCHPOINTS_TABLE)
        .where({ visitor_id: visitor })
        .orderBy('id', 'desc')
        .limit(30)
        .select('id', 'type', 'path', 'session_id', 'source_channel', 'customer_id', 'properties');
      const customer = row?.customer_id ? await crmCustomers(strapi)?.findOne(row.customer_id) : null;
      ctx.body = {
        customerId: row?.customer_id ?? null,
        customer: customer ? `${customer.name ?? ''} <${customer.email ?? customer.externalId}>`.trim() : null,
        events,
        stats: getService(strapi, 'collector').stats(),
      };
      return;
    }
    return next();
  };
}
