import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';

export interface LocaleInfo {
  codes: string[];
  defaultLocale: string;
}

/** Locales configured in Strapi i18n, and the resolution of a requested one. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async list(): Promise<LocaleInfo> {
    const i18n = strapi.plugin('i18n').service('locales');
    const rows = (await i18n.find()) as Array<{ code: string }>;
    const defaultLocale = ((await i18n.getDefaultLocale()) as string) ?? rows[0]?.code ?? 'en';
    return { codes: rows.map((r) => r.code), defaultLocale };
  },

  /**
   * The locale to serve: the requested one (matched case-insensitively, so zh-hans works)
   * or the default.
   * @throws ValidationError (400) naming the supported locales when the locale is unknown.
   */
  async resolve(requested: string | undefined): Promise<{ locale: string; defaultLocale: string }> {
    const { codes, defaultLocale } = await this.list();
    if (!requested) return { locale: defaultLocale, defaultLocale };
    const match = codes.find((c) => c.toLowerCase() === requested.toLowerCase());
    if (!match) {
      throw new errors.ValidationError(`Unsupported locale "${requested}". Supported locales: ${codes.join(', ')}`, {
        supported: codes,
      });
    }
    return { locale: match, defaultLocale };
  },
});
