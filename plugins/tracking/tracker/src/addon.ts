/**
 * What the core tracker (tracker.ts) hands a platform add-on, and helpers add-ons share.
 * Add-ons are separate files (t-shopify.js, t-wp.js) the core loads only on pages of that
 * platform, so the core stays within its 3 KB budget on every storefront.
 */
import type { BrowserEventType } from '../../server/src/contracts/events';

type Fn = (...args: any[]) => any;

export interface Core {
  emit(type: BrowserEventType, props?: Record<string, unknown>, urgent?: boolean): void;
  send(beacon?: boolean): void;
  /** f(form, props): true takes a submit over; n(url, body, response promise) per fetch; x(xhr, url, body) per XHR */
  hooks: Record<'f' | 'n' | 'x', Fn[]>;
  on(target: EventTarget, type: string, fn: Fn, capture?: boolean): void;
  safe<F extends Fn>(fn: F): (...args: Parameters<F>) => ReturnType<F> | undefined;
  endpoint: string;
  /** the site key of the script tag */
  site: string;
  /** the core's [field, name pattern] table for forms; add-ons append languages to it */
  fields: [string, string][];
}

/** Field-name roots in ja, zh, ko, ru and ar (the core holds the Latin-script ones: its budget). */
const MORE_LANGUAGES: Record<string, string> = {
  email: 'メール|邮箱|이메일|почт|بريد',
  company: '会社|公司|회사|компан|شرك',
  phone: '電話|电话|手机|전화|телеф|هاتف',
  name: '名|이름|имя|фио|اسم',
  message: '内容|留言|문의|сообщ|رسال',
};
export function addLanguages(core: Core): void {
  for (const field of core.fields) if (MORE_LANGUAGES[field[0]]) field[1] += `|${MORE_LANGUAGES[field[0]]}`;
}

/**
 * Registers an add-on with the core, whichever of the two scripts runs first. `moatLoaded`
 * lists the add-ons present (for the theme's own scripts and for tests to wait on).
 */
export function register(name: string, addon: (core: Core) => void): void {
  const w = window as any;
  (w.moatAddons ||= []).push(addon);
  (w.moatLoaded ||= []).push(name);
}

/** A request body as a plain object: FormData, URLSearchParams, JSON text or form-encoded text. */
export function bodyData(body: unknown): Record<string, any> {
  if (body instanceof FormData || body instanceof URLSearchParams) return Object.fromEntries(body as any);
  if (typeof body === 'string') return body[0] === '{' || body[0] === '[' ? JSON.parse(body) : Object.fromEntries(new URLSearchParams(body));
  return {};
}

export const num = (v: unknown) => (v == null || v === '' ? undefined : Number(v));

/** The path and query of a URL the page requested (relative ones resolved against the page). */
export const urlOf = (url: unknown) => new URL(String(url), location.href);
