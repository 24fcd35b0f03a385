import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { engageConfig } from '../engage/config';
import { answer, bodyOf } from '../engage/http';

type UploadedFile = { filepath?: string; path?: string; originalFilename?: string; name?: string; mimetype?: string; type?: string };

/** Public opens per IP per minute (a fixed window; one instance's count). */
const windows = new Map<string, { start: number; count: number }>();
function limited(ip: string, perMinute: number) {
  const now = Date.now();
  const entry = windows.get(ip);
  if (!entry || now - entry.start >= 60_000) {
    if (windows.size > 10_000) windows.clear();
    windows.set(ip, { start: now, count: 1 });
    return false;
  }
  entry.count += 1;
  return entry.count > perMinute;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const quotes = () => strapi.plugin('crm').service('quotes');
  return {
    /** multipart field `file` */
    attach: (ctx: Context) =>
      answer(
        ctx,
        async () => {
          const files = (ctx.request as { files?: Record<string, UploadedFile | UploadedFile[]> }).files ?? {};
          const raw = files.file;
          const file = Array.isArray(raw) ? raw[0] : raw;
          if (!file) throw Object.assign(new Error('file: send the quotation as multipart field "file"'), { status: 400 });
          const quote = await quotes().attach(ctx.params.id, {
            name: file.originalFilename ?? file.name ?? 'quote',
            type: file.mimetype ?? file.type,
            path: file.filepath ?? file.path,
          });
          return { data: { documentId: quote.documentId, fileName: quote.fileName, size: quote.size, url: quotes().url(quote.token) } };
        },
        201,
      ),
    list: (ctx: Context) => answer(ctx, async () => ({ data: await quotes().list(ctx.params.id) })),
    send: (ctx: Context) =>
      answer(ctx, async () => {
        const { to } = bodyOf(ctx);
        if (to !== undefined && (typeof to !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to) || to.length > 255))
          throw Object.assign(new Error('to: an email address'), { status: 400 });
        return { data: await quotes().send(ctx.params.id, to) };
      }),
    /** public: the buyer opens the link */
    open: async (ctx: Context) => {
      const { ratePerMinute } = engageConfig(strapi).quotes;
      if (limited(ctx.request.ip, ratePerMinute)) {
        ctx.status = 429;
        ctx.set('Retry-After', '60');
        ctx.body = { data: null, error: { status: 429, name: 'TooManyRequests', message: 'too many opens from this address; try again in a minute' } };
        return;
      }
      const opened = await quotes().open(String(ctx.params.token), { ip: ctx.request.ip, userAgent: ctx.get('user-agent') });
      if (!opened) return ctx.notFound('no such quote');
      ctx.set('Content-Type', opened.mimeType || 'application/octet-stream');
      ctx.set('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(opened.fileName)}`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.body = opened.stream();
    },
  };
};
