import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { errorPage, type PageLocale, pageLocale, preferencesPage } from '../compliance/pages';
import { TokenError } from '../compliance/tokens';
import { getService } from '../utils/get-service';

// a transparent 1×1 GIF
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const html = (ctx: Context, status: number, body: string) => {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.body = body;
};

/** The page language when the link itself cannot be trusted: the browser's. */
const browserLocale = (ctx: Context): PageLocale => pageLocale((ctx.acceptsLanguages('en', 'zh', 'zh-CN', 'zh-Hans', 'de', 'fr', 'es') || 'en') as string);

/** Forged, malformed or expired links: a 4xx page, never a redirect. Other errors go on to Strapi. */
function refuse(ctx: Context, error: unknown): void {
  if (!(error instanceof TokenError)) throw error;
  html(ctx, error.problem === 'expired' ? 410 : 400, errorPage(browserLocale(ctx), error.problem === 'expired' ? 'expired' : 'invalid'));
}

/**
 * Public routes for the links in sent mail (/api/lifecycle-email/...). Thin: the compliance
 * service checks the signed token and does the work.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const compliance = () => getService(strapi, 'compliance');
  return {
    /** GET /u/:token — the preferences page in the recipient's language */
    async preferences(ctx: Context) {
      try {
        const { message } = await compliance().verify(ctx.params.token, 'u');
        html(ctx, 200, preferencesPage(pageLocale(message.locale), message.recipient, await compliance().isSubscribed(message), ctx.path));
      } catch (error) {
        refuse(ctx, error);
      }
    },

    /**
     * POST /u/:token — RFC 8058 one-click (body "List-Unsubscribe=One-Click", sent by the
     * mailbox provider) or the page's form (choice=unsubscribe|resubscribe).
     */
    async unsubscribe(ctx: Context) {
      const body = ((ctx.request as { body?: unknown }).body ?? {}) as Record<string, unknown>;
      try {
        if (body.choice === 'resubscribe') {
          const m = await compliance().resubscribe(ctx.params.token);
          html(ctx, 200, preferencesPage(pageLocale(m.locale), m.recipient, true, ctx.path));
          return;
        }
        const oneClick = body['List-Unsubscribe'] === 'One-Click';
        const m = await compliance().unsubscribe(ctx.params.token, oneClick ? 'one-click' : 'page');
        html(ctx, 200, preferencesPage(pageLocale(m.locale), m.recipient, false, ctx.path));
      } catch (error) {
        refuse(ctx, error);
      }
    },

    /** GET /o/:token — the open pixel */
    async open(ctx: Context) {
      try {
        await compliance().opened(ctx.params.token, { userAgent: ctx.get('user-agent'), ip: ctx.ip });
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        ctx.status = 400;
        return;
      }
      ctx.set('Cache-Control', 'no-store, private');
      ctx.type = 'image/gif';
      ctx.body = PIXEL;
    },

    /** GET /c/:token — a click: redirect to the URL signed into the link, nowhere else */
    async click(ctx: Context) {
      try {
        const url = await compliance().clicked(ctx.params.token);
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(url);
      } catch (error) {
        refuse(ctx, error);
      }
    },

    /** GET /v/:token — the message in the browser */
    async view(ctx: Context) {
      try {
        const page = await compliance().view(ctx.params.token);
        if (page === null) html(ctx, 404, errorPage(browserLocale(ctx), 'invalid'));
        else html(ctx, 200, page);
      } catch (error) {
        refuse(ctx, error);
      }
    },
  };
};
