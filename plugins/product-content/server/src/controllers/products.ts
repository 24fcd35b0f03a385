import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { describeIssues, productKeySchema, productQuerySchema } from '../schemas/product-query';
import { getService } from '../utils/get-service';

/** Longer URLs are a malformed or abusive request, not a product look-up. */
const MAX_URL_LENGTH = 2048;

function parse(ctx: Context): { key: string; locale?: string } {
  if (ctx.originalUrl.length > MAX_URL_LENGTH) {
    throw new errors.ValidationError(`Request URL is longer than ${MAX_URL_LENGTH} characters`);
  }
  const key = productKeySchema.safeParse(ctx.params.key);
  if (!key.success) throw new errors.ValidationError(`Invalid product key: ${describeIssues(key.error)}`);
  // the raw names too: the query parser silently drops some (`__proto__[x]=1` arrives as {})
  const unknown = [...new URLSearchParams(ctx.querystring).keys()].filter((name) => name !== 'locale');
  if (unknown.length > 0) {
    throw new errors.ValidationError(`Invalid query: unknown query parameter(s): ${[...new Set(unknown)].join(', ').slice(0, 200)} (allowed: locale)`);
  }
  const query = productQuerySchema.safeParse(ctx.query ?? {});
  if (!query.success) throw new errors.ValidationError(`Invalid query: ${describeIssues(query.error)}`);
  return { key: key.data, locale: query.data.locale };
}

/**
 * Storefronts cache this content; a strong ETag of the body lets browsers and CDNs revalidate
 * with a 304 instead of downloading it again.
 */
function sendCached(ctx: Context, { json, etag }: { json: string; etag: string }, type = 'application/json; charset=utf-8'): void {
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', 'public, max-age=60, stale-while-revalidate=600');
  ctx.set('Vary', 'Accept-Encoding');
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.type = type;
  ctx.body = json;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async find(ctx: Context) {
    const { key, locale } = parse(ctx);
    const cached = await getService(strapi, 'response-cache').get(`content\u0000${key}\u0000${locale ?? ''}`, () =>
      getService(strapi, 'product-content').forProduct(key, locale),
    );
    sendCached(ctx, cached);
  },

  /** The FAQPage JSON-LD alone, for servers that inline it into the product page head. */
  async jsonLd(ctx: Context) {
    const { key, locale } = parse(ctx);
    const cached = await getService(strapi, 'response-cache').get(`jsonld\u0000${key}\u0000${locale ?? ''}`, async () => {
      const content = await getService(strapi, 'product-content').forProduct(key, locale);
      return content.jsonLd;
    });
    if (cached.json === 'null') throw new errors.NotFoundError(`Product "${key}" has no published FAQ in this locale`);
    sendCached(ctx, cached, 'application/ld+json; charset=utf-8');
  },
});
