import Handlebars from 'handlebars';

/**
 * Domain helpers for lifecycle email. Every helper takes plain values and returns text
 * (escaped by Handlebars in HTML), so template authors cannot produce markup or run code.
 */
/**
 * Building an Intl formatter costs tens of microseconds, using one almost nothing: formatters
 * are cached per (locale, currency / time zone), a small set in practice.
 */
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = make();
    if (formatters.size > 1000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

export function registerHelpers(hbs: typeof Handlebars): void {
  // {{money order.total order.currency locale}} -> "€1,234.50" / "1.234,50 €"
  hbs.registerHelper('money', (amount: unknown, currency: unknown, locale: unknown) => {
    const n = Number(amount);
    if (!Number.isFinite(n) || typeof currency !== 'string') return '';
    const loc = typeof locale === 'string' ? locale : 'en';
    return cached(`n|${loc}|${currency}`, () => new Intl.NumberFormat(loc, { style: 'currency', currency })).format(n);
  });
  // {{date order.placedAt locale timeZone}} in the recipient's zone and language
  hbs.registerHelper('date', (value: unknown, locale: unknown, timeZone: unknown) => {
    const d = new Date(value as string);
    if (Number.isNaN(d.getTime())) return '';
    const loc = typeof locale === 'string' ? locale : 'en';
    const tz = typeof timeZone === 'string' ? timeZone : 'UTC';
    return cached(`d|${loc}|${tz}`, () => new Intl.DateTimeFormat(loc, { dateStyle: 'long', timeZone: tz })).format(d);
  });
  // {{pluralize count "item" "items"}}
  hbs.registerHelper('pluralize', (count: unknown, one: unknown, many: unknown) => `${count} ${Number(count) === 1 ? one : many}`);
  // {{fallback customer.firstName "there"}}
  hbs.registerHelper('fallback', (value: unknown, alt: unknown) => (value === undefined || value === null || value === '' ? alt : value));
}

/**
 * The helpers a template may call: the domain helpers and the safe built-ins. `log` is
 * removed (it writes template-chosen text to the server console); `lookup` stays: it goes
 * through Handlebars' prototype access control like any other property read.
 */
export const ALLOWED_HELPERS = new Set(['money', 'date', 'pluralize', 'fallback', 'if', 'unless', 'each', 'with', 'lookup']);

/**
 * A Handlebars environment with the domain helpers. Prototype access stays at Handlebars'
 * default (denied); no runtime options are passed per render, because each options object
 * makes Handlebars rebuild its access control on every call.
 */
export function createHandlebars(): typeof Handlebars {
  const env = Handlebars.create();
  env.unregisterHelper('log');
  registerHelpers(env);
  return env;
}

/** Compile options of every part: strict variables; the domain helpers called directly. */
export const STRICT = { strict: true, knownHelpers: { money: true, date: true, pluralize: true, fallback: true } };
