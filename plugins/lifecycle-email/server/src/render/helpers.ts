import type Handlebars from 'handlebars';

/**
 * Domain helpers for lifecycle email. Every helper takes plain values and returns text
 * (escaped by Handlebars in HTML), so template authors cannot produce markup or run code.
 */
export function registerHelpers(hbs: typeof Handlebars): void {
  // {{money order.total order.currency locale}} -> "€1,234.50" / "1.234,50 €"
  hbs.registerHelper('money', (amount: unknown, currency: unknown, locale: unknown) => {
    const n = Number(amount);
    if (!Number.isFinite(n) || typeof currency !== 'string') return '';
    return new Intl.NumberFormat(typeof locale === 'string' ? locale : 'en', { style: 'currency', currency }).format(n);
  });
  // {{date order.placedAt locale timeZone}} in the recipient's zone and language
  hbs.registerHelper('date', (value: unknown, locale: unknown, timeZone: unknown) => {
    const d = new Date(value as string);
    if (Number.isNaN(d.getTime())) return '';
    return new Intl.DateTimeFormat(typeof locale === 'string' ? locale : 'en', {
      dateStyle: 'long',
      timeZone: typeof timeZone === 'string' ? timeZone : 'UTC',
    }).format(d);
  });
  // {{pluralize count "item" "items"}}
  hbs.registerHelper('pluralize', (count: unknown, one: unknown, many: unknown) => `${count} ${Number(count) === 1 ? one : many}`);
  // {{fallback customer.firstName "there"}}
  hbs.registerHelper('fallback', (value: unknown, alt: unknown) => (value === undefined || value === null || value === '' ? alt : value));
}
