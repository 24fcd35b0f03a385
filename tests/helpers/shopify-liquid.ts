/**
 * Renders the theme app extension's blocks with liquidjs in a minimal Shopify-like context:
 * the `t` filter reads the extension's locale files (with {{ name }} interpolation and
 * Shopify's "translation missing" text), `asset_url`, Shopify's HTML-safe `json`, and the
 * `{% schema %}` tag. Shared by the unit tests and the Chromium tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Liquid, type TagToken, type TopLevelToken } from 'liquidjs';

export const EXTENSION_DIR = join(__dirname, '..', '..', 'theme-extension');
export const LOCALES = ['en', 'zh-CN', 'de', 'es', 'fr', 'ja'] as const;
export type Locale = (typeof LOCALES)[number];

export function localeFile(locale: Locale, schema = false): Record<string, any> {
  const base = locale === 'en' ? 'en.default' : locale;
  return JSON.parse(readFileSync(join(EXTENSION_DIR, 'locales', `${base}${schema ? '.schema' : ''}.json`), 'utf8'));
}

const lookup = (tree: Record<string, any>, key: string): unknown => key.split('.').reduce<any>((node, part) => node?.[part], tree);

/** Shopify's json filter escapes <, > and & so the output is safe inside <script>. */
const htmlSafeJson = (value: unknown) =>
  (JSON.stringify(value ?? null) ?? 'null').replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

export function shopifyLiquid(locale: Locale = 'en', assetBase = '/cdn/assets/') {
  const strings = localeFile(locale);
  const engine = new Liquid({ root: join(EXTENSION_DIR, 'blocks'), extname: '.liquid', strictFilters: true });
  engine.registerFilter('t', (key: string, ...args: unknown[]) => {
    const found = lookup(strings, key);
    if (typeof found !== 'string') return `translation missing: ${locale}.${key}`;
    const vars = Object.fromEntries(args.filter(Array.isArray) as [string, unknown][]);
    return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name) => String(vars[name] ?? ''));
  });
  engine.registerFilter('asset_url', (name: string) => `${assetBase}${name}`);
  engine.registerFilter('json', htmlSafeJson);
  // Shopify's escape is Ruby's CGI.escapeHTML (&quot; and &#39;)
  engine.registerFilter('escape', (value: unknown) =>
    value == null ? '' : String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
  );
  // {% schema %} is the theme editor's: rendered as nothing
  engine.registerTag('schema', {
    parse(_token: TagToken, remain: TopLevelToken[]) {
      while (remain.length) {
        const token = remain.shift() as TopLevelToken & { name?: string };
        if (token.name === 'endschema') return;
      }
      throw new Error('{% schema %} without {% endschema %}');
    },
    render() {
      return '';
    },
  });
  return engine;
}

/** The block's {% schema %} JSON. */
export function blockSchema(block: string): Record<string, any> {
  const source = readFileSync(join(EXTENSION_DIR, 'blocks', `${block}.liquid`), 'utf8');
  return JSON.parse(/\{%\s*schema\s*%\}([\s\S]*?)\{%\s*endschema\s*%\}/.exec(source)?.[1] ?? 'null');
}

/** A block's settings with the schema defaults, then the given overrides. */
export function settingsOf(block: string, overrides: Record<string, unknown> = {}) {
  const defaults = Object.fromEntries((blockSchema(block).settings as any[]).filter((s) => 'default' in s).map((s) => [s.id, s.default]));
  return { ...defaults, ...overrides };
}

export async function renderBlock(block: string, context: Record<string, unknown>, options: { locale?: Locale; settings?: Record<string, unknown>; assetBase?: string } = {}) {
  const engine = shopifyLiquid(options.locale, options.assetBase);
  const locale = options.locale ?? 'en';
  return engine.renderFile(block, {
    shop: { currency: 'USD', url: 'https://shop.example.com', name: 'Example' },
    cart: { currency: { iso_code: 'USD' } },
    request: { locale: { iso_code: locale }, path: '/products/test' },
    ...context,
    block: { id: 'b1', shopify_attributes: 'data-shopify-editor-block="b1"', settings: settingsOf(block, options.settings) },
  });
}

/** A product shaped like Liquid's product object (prices in cents), with Moat's metafields. */
export function sampleProduct(overrides: Record<string, unknown> = {}) {
  const variants = [
    { id: 4001, title: 'Red / 10 mm', sku: 'BOLT-R10', price: 1250, available: true },
    { id: 4002, title: 'Blue / 12 mm', sku: 'BOLT-B12', price: 1490, available: true },
  ];
  return {
    id: 7001,
    handle: 'steel-bolt',
    title: 'Steel bolt "Heavy" <M10>',
    url: '/products/steel-bolt',
    has_only_default_variant: false,
    variants,
    selected_or_first_available_variant: variants[0],
    metafields: {
      moat: {
        faq: {
          value: [
            { question: 'What is the MOQ?', answer: 'The minimum order is 500 pieces.', answer_html: '<p>The minimum order is <strong>500</strong> pieces.</p>' },
            { question: 'Do you ship to "EU" & UK?', answer: 'Yes, DDP </script><script>alert(1)</script> available.' },
          ],
        },
        selling_points: { value: [{ title: 'ISO 9001', body: 'Certified factory' }, { title: 'Zinc plated' }] },
      },
    },
    ...overrides,
  };
}
