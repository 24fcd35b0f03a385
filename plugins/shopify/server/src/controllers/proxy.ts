import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { sitesOf, type ShopifyConfig } from '../config';
import type { ProxyState } from '../middlewares/app-proxy';
import { inquiryFormSchema } from '../proxy/inquiry';
import { PLUGIN_ID, SHOPIFY_CHANNEL } from '../utils/constants';
import { HttpError, replyError, replyJson } from '../utils/http';
import { peers } from '../utils/peers';
import { RateWindow } from '../utils/rate-window';
import { externalIdOf } from '../services/timeline';

const MAX_COLLECT_BYTES = 64 * 1024;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The storefront's calls through the app proxy (/apps/moat/* → /api/shopify/proxy/*), after
 * the app-proxy middleware verified Shopify's signature. The RFQ form may post without
 * JavaScript: then the answer is a small Liquid page Shopify renders inside the theme.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const config = () => strapi.config.get(`plugin::${PLUGIN_ID}`) as ShopifyConfig;
  const peer = peers(strapi);
  let limiter: RateWindow | undefined;
  const wantsJson = (ctx: Context) => /json/.test(ctx.get('accept'));

  /** JSON for fetch, a Liquid page for a plain form post */
  function answer(ctx: Context, status: number, message: string, extra: Record<string, unknown> = {}) {
    if (wantsJson(ctx)) {
      return status < 400
        ? replyJson(ctx, status, { data: { message, ...extra } })
        : replyJson(ctx, status, { data: null, error: { status, name: status === 503 ? 'ServiceUnavailable' : status === 429 ? 'RateLimitError' : 'ValidationError', message } });
    }
    ctx.status = status;
    ctx.type = 'application/liquid';
    ctx.body = `<div class="page-width moat-rfq-result" role="status"><p>${escapeHtml(message)}</p><p><a href="javascript:history.back()">&larr;</a></p></div>`;
  }

  /** The CRM customer of a signed-in buyer (logged_in_customer_id), or null. */
  async function signedInCustomer(proxy: ProxyState): Promise<string | null> {
    const customers = peer.customers();
    if (!proxy.customerId || !customers) return null;
    const { documentId } = await customers.identify({ externalId: externalIdOf(proxy.shop, proxy.customerId) }, { source: SHOPIFY_CHANNEL, verified: true });
    return documentId;
  }

  return {
    async inquiry(ctx: Context) {
      const proxy = ctx.state.shopifyProxy as ProxyState;
      const { points, duration } = config().inquiryRateLimit;
      limiter ??= new RateWindow(points, duration * 1000);
      const wait = limiter.take(`${proxy.shop}\u0000${ctx.get('x-forwarded-for') || ctx.ip}`);
      if (wait) {
        ctx.set('Retry-After', String(wait));
        return answer(ctx, 429, `too many inquiries from this address: retry in ${wait} s`);
      }
      const body = (ctx.request as unknown as { body?: unknown }).body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return answer(ctx, 400, 'send the form fields (application/x-www-form-urlencoded or JSON)');
      const parsed = inquiryFormSchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return answer(ctx, 400, `${issue.path.join('.')}: ${issue.message}`);
      }
      const form = parsed.data;
      // a filled honeypot is a bot: it is told "thank you" and nothing is kept
      if (form.website) return answer(ctx, 200, 'thank you', { status: 'received' });
      const inquiries = peer.inquiries();
      const customers = peer.customers();
      if (!inquiries || !customers) return answer(ctx, 503, 'inquiries are not accepted: the CRM plugin is not loaded on this Moat server; nothing was stored');
      try {
        // the buyer: a signed-in one by their Shopify id (signed by the proxy), else by the form's
        // email; the form's other fields are claims (not verified). A signed-in buyer's form email
        // is not written: it may be another customer's, and the unique email index would refuse it.
        const who = proxy.customerId ? { externalId: externalIdOf(proxy.shop, proxy.customerId) } : { email: form.email };
        const { documentId: customerId } = await customers.identify(
          { ...who, name: form.name, company: form.company, phone: form.phone },
          { source: SHOPIFY_CHANNEL, verified: false, onInvalid: 'drop' },
        );
        const site = sitesOf(config().sites).get(proxy.shop);
        if (form.visitor_id) await peer.touchpoints()?.linkVisitor(form.visitor_id, customerId, site);
        // the catalog's product key: the storefront's product id, else its handle
        const productKey = form.product_id || form.product_handle;
        const created = await inquiries.create({
          customerId,
          channel: 'form',
          product: productKey ? { key: productKey, title: form.product_title, variant: form.variant_id } : undefined,
          quantity: form.quantity,
          unit: form.unit,
          targetPrice: form.target_price,
          currency: form.currency,
          incoterm: form.incoterm,
          message: form.message,
          language: form.locale,
        });
        return answer(ctx, 201, 'thank you', { status: 'received', inquiry: created.documentId });
      } catch (error) {
        strapi.log.error(`[shopify] inquiry for ${proxy.shop} failed: ${(error as Error).message}`);
        return answer(ctx, 503, 'the inquiry could not be stored right now; please try again');
      }
    },

    /** The tracker's batch, same-origin through the proxy: the shop's configured site key. */
    async collect(ctx: Context) {
      try {
        const proxy = ctx.state.shopifyProxy as ProxyState;
        if (Number(ctx.get('content-length') || 0) > MAX_COLLECT_BYTES) throw new HttpError(413, 'PayloadTooLarge', `body is over ${MAX_COLLECT_BYTES} bytes`);
        const site = sitesOf(config().sites).get(proxy.shop);
        if (!site) throw new HttpError(403, 'ForbiddenError', `no tracking site is configured for ${proxy.shop} (MOAT_SHOPIFY_SITES)`);
        const collector = peer.collector();
        if (!collector) throw new HttpError(503, 'ServiceUnavailable', 'the tracking plugin is not loaded');
        let json = (ctx.request as unknown as { body?: unknown }).body;
        if (typeof json === 'string') {
          try {
            json = JSON.parse(json);
          } catch {
            throw new HttpError(400, 'ValidationError', 'body is not valid JSON');
          }
        }
        const result = await collector.submitForwarded(json, { site, userAgent: ctx.get('user-agent') || undefined, ip: ctx.get('x-forwarded-for').split(',')[0]?.trim() || ctx.ip });
        if (result.status !== 202) throw new HttpError(result.status, result.status === 403 ? 'ForbiddenError' : 'ValidationError', result.message);
        const customerId = await signedInCustomer(proxy);
        const visitor = (json as { visitor?: unknown }).visitor;
        if (customerId && typeof visitor === 'string') {
          await peer.touchpoints()?.linkVisitor(visitor, customerId, site);
          collector.rememberCustomer(visitor, customerId);
        }
        replyJson(ctx, 202, { accepted: result.accepted, customer: customerId ? 'identified' : null });
      } catch (error) {
        replyError(strapi, ctx, error);
      }
    },

    /** The product's FAQ and selling points (product-content), for themes that fetch them. */
    async faq(ctx: Context) {
      const content = peer.productContent();
      if (!content) return replyError(strapi, ctx, new HttpError(503, 'ServiceUnavailable', 'the product-content plugin is not loaded'));
      const handle = String(ctx.params.handle ?? '');
      if (!/^[a-z0-9][a-z0-9-]{0,254}$/i.test(handle)) return replyError(strapi, ctx, new HttpError(400, 'ValidationError', 'the product handle must be letters, digits and "-"'));
      const locale = new URLSearchParams(ctx.querystring).get('locale') ?? undefined;
      if (locale !== undefined && !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(locale)) return replyError(strapi, ctx, new HttpError(400, 'ValidationError', 'locale must look like en or zh-Hans'));
      try {
        ctx.set('Cache-Control', 'public, max-age=60');
        replyJson(ctx, 200, { data: await content.forProduct(handle, locale) });
      } catch (error) {
        const status = (error as { status?: number; name?: string }).name === 'NotFoundError' ? 404 : 400;
        replyError(strapi, ctx, new HttpError(status, status === 404 ? 'NotFoundError' : 'ValidationError', (error as Error).message));
      }
    },
  };
};
