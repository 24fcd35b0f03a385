/**
 * The theme app extension's blocks, rendered by liquidjs in a minimal Shopify-like context,
 * theme-check on the whole extension, locale parity, and the JavaScript size budget.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '@shopify/theme-check-node';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { EXTENSION_DIR, LOCALES, localeFile, renderBlock, sampleProduct } from '../helpers/shopify-liquid';

const PIXEL_DIR = join(__dirname, '..', '..', 'web-pixel');
/** theme-check's AssetSizeAppBlockJavaScript limit, applied to every JS file we ship to Shopify */
const JS_LIMIT = 10_000;

const keysOf = (tree: Record<string, unknown>, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (v && typeof v === 'object' ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));

/** ids of visible form controls without a <label for>: an accessibility failure */
function unlabelled(html: string): string[] {
  const labels = new Set([...html.matchAll(/<label[^>]*for="([^"]+)"/g)].map((m) => m[1]));
  return [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)]
    .filter((m) => !/type="hidden"/.test(m[2]))
    .map((m) => /id="([^"]+)"/.exec(m[2])?.[1] ?? '(no id)')
    .filter((id) => !labels.has(id));
}

describe('theme app extension', () => {
  it('theme-check reports no errors on theme-extension/', async () => {
    const offenses = await check(EXTENSION_DIR);
    expect(offenses.filter((o) => o.severity === 0).map((o) => `${o.check} ${o.uri}: ${o.message}`)).toEqual([]);
    expect(readdirSync(join(EXTENSION_DIR, 'blocks')).sort()).toEqual(['chat-button.liquid', 'inquiry-form.liquid', 'moat-tracker.liquid', 'product-faq.liquid']);
  });

  it('every locale (storefront and theme editor) has exactly the keys of English, and none is empty', () => {
    for (const schema of [false, true]) {
      const en = keysOf(localeFile('en', schema)).sort();
      for (const locale of LOCALES) {
        const tree = localeFile(locale, schema);
        expect({ locale, schema, keys: keysOf(tree).sort() }).toEqual({ locale, schema, keys: en });
        for (const key of en) expect(String(key.split('.').reduce<any>((n, p) => n[p], tree)).trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it(`every JavaScript file shipped to Shopify is under ${JS_LIMIT} bytes (theme assets on disk, the web pixel bundled)`, async () => {
    const assets = readdirSync(join(EXTENSION_DIR, 'assets')).filter((f) => f.endsWith('.js'));
    expect(assets).toEqual(expect.arrayContaining(['moat-chat.js', 'moat-inquiry.js', 'moat-tracker.js']));
    for (const file of assets) expect({ file, bytes: statSync(join(EXTENSION_DIR, 'assets', file)).size }).toEqual({ file, bytes: expect.any(Number) });
    const sizes = Object.fromEntries(assets.map((f) => [f, statSync(join(EXTENSION_DIR, 'assets', f)).size]));
    const pixel = await build({ entryPoints: [join(PIXEL_DIR, 'src', 'index.ts')], bundle: true, minify: true, write: false, format: 'esm', external: ['@shopify/web-pixels-extension'] });
    sizes['web-pixel (bundled)'] = pixel.outputFiles[0].contents.length;
    console.log('Shopify JS sizes (bytes):', sizes);
    for (const [file, bytes] of Object.entries(sizes)) {
      expect(bytes, file).toBeGreaterThan(300);
      expect(bytes, file).toBeLessThan(JS_LIMIT);
    }
  });
});

describe('Inquiry / RFQ form block', () => {
  it('renders a product-aware form posting to the app proxy, with a label for every field and a honeypot', async () => {
    const html = await renderBlock('inquiry-form', { product: sampleProduct(), customer: { name: 'Ada Buyer', email: 'ada@example.com' } });
    expect(html).toContain('action="/apps/moat/inquiry"');
    expect(html).toContain('method="post"');
    expect(html).toContain('name="product_id" value="7001"');
    expect(html).toContain('<option value="4001" selected>Red / 10 mm (BOLT-R10)</option>');
    expect(html).toContain('<option value="4002">Blue / 12 mm (BOLT-B12)</option>');
    for (const name of ['quantity', 'unit', 'target_price', 'incoterm', 'email', 'company', 'message', 'currency']) expect(html).toContain(`name="${name}"`);
    expect(html).toContain('<option value="FOB">FOB</option>');
    // the product title is escaped in attributes and text
    expect(html).toContain('value="Steel bolt &quot;Heavy&quot; &lt;M10&gt;"');
    expect(html).not.toContain('<M10>');
    // a signed-in customer's email is filled in
    expect(html).toContain('value="ada@example.com"');
    expect(html).toMatch(/<div class="moat-rfq__hp" aria-hidden="true">[\s\S]*name="website" type="text" tabindex="-1"/);
    expect(html).toContain('role="status" aria-live="polite"');
    expect(unlabelled(html)).toEqual([]);
    expect(html).toContain('src="/cdn/assets/moat-inquiry.js" defer');
  });

  it('a single-variant product sends its variant hidden; the proxy path setting is honoured', async () => {
    const only = { id: 4009, title: 'Default Title', sku: '', price: 100 };
    const html = await renderBlock('inquiry-form', { product: sampleProduct({ has_only_default_variant: true, variants: [only], selected_or_first_available_variant: only }) }, { settings: { proxy_path: '/apps/quotes' } });
    expect(html).toContain('<input type="hidden" name="variant_id" value="4009">');
    expect(html).not.toContain('<select id="moat-rfq-b1-variant"');
    expect(html).toContain('action="/apps/quotes/inquiry"');
  });

  for (const locale of LOCALES) {
    it(`is fully translated in ${locale}`, async () => {
      const html = await renderBlock('inquiry-form', { product: sampleProduct() }, { locale });
      expect(html).not.toContain('translation missing');
      expect(html).toContain(`data-success="${localeFile(locale).inquiry.success}"`);
      expect(html).toContain(`>${localeFile(locale).inquiry.units.cartons}</option>`);
    });
  }
});

describe('Product FAQ & selling points block', () => {
  it('renders the FAQ and selling points from metafields with valid, script-safe FAQPage JSON-LD', async () => {
    const html = await renderBlock('product-faq', { product: sampleProduct() });
    expect(html).toContain('<summary>What is the MOQ?</summary>');
    expect(html).toContain('<p>The minimum order is <strong>500</strong> pieces.</p>');
    expect(html).toContain('<summary>Do you ship to &quot;EU&quot; &amp; UK?</summary>');
    expect(html).toContain('<strong>ISO 9001</strong> <span>Certified factory</span>');
    const scripts = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    // the answer's "</script>" could not end the JSON-LD early
    expect(scripts[0][1]).not.toContain('</script');
    const ld = JSON.parse(scripts[0][1]);
    expect(ld).toEqual({
      '@context': 'https://schema.org',
      '@type': 'FAQPage',
      mainEntity: [
        { '@type': 'Question', name: 'What is the MOQ?', acceptedAnswer: { '@type': 'Answer', text: 'The minimum order is 500 pieces.' } },
        { '@type': 'Question', name: 'Do you ship to "EU" & UK?', acceptedAnswer: { '@type': 'Answer', text: 'Yes, DDP </script><script>alert(1)</script> available.' } },
      ],
    });
    expect(html).not.toContain('fetch(');
  });

  it('renders nothing for a product without Moat metafields; selling points can be hidden', async () => {
    expect((await renderBlock('product-faq', { product: sampleProduct({ metafields: {} }) })).trim()).toBe('');
    const html = await renderBlock('product-faq', { product: sampleProduct() }, { settings: { show_selling_points: false } });
    expect(html).not.toContain('ISO 9001');
    expect(html).toContain('What is the MOQ?');
  });

  it("shows the storefront language's FAQ from moat.faq_i18n, else the default language's", async () => {
    const base = sampleProduct();
    const product = sampleProduct({
      metafields: { moat: { ...base.metafields.moat, faq_i18n: { value: { 'zh-CN': { faq: [{ question: '最小起订量是多少？', answer: '500 件起订。' }], selling_points: [{ title: 'ISO 9001 认证工厂' }] } } } } },
    });
    const zh = await renderBlock('product-faq', { product }, { locale: 'zh-CN' });
    expect(zh).toContain('<summary>最小起订量是多少？</summary>');
    expect(zh).toContain('<strong>ISO 9001 认证工厂</strong>');
    expect(zh).not.toContain('What is the MOQ?');
    expect(JSON.parse([...zh.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)][0][1]).mainEntity[0].name).toBe('最小起订量是多少？');
    // German has no translation of its own: the default language
    const de = await renderBlock('product-faq', { product }, { locale: 'de' });
    expect(de).toContain('<summary>What is the MOQ?</summary>');
    expect(de).not.toContain('最小起订量');
  });

  for (const locale of LOCALES) {
    it(`is translated in ${locale}`, async () => {
      const html = await renderBlock('product-faq', { product: sampleProduct() }, { locale });
      expect(html).not.toContain('translation missing');
      expect(html).toContain(localeFile(locale).faq.title);
    });
  }
});

describe('WhatsApp / chat button block', () => {
  it('links to wa.me with a message naming the product, and marks the link for the click touchpoint', async () => {
    const html = await renderBlock('chat-button', { product: sampleProduct() }, { settings: { number: '+86 138-0000 0000' } });
    const href = /href="(https:\/\/wa\.me\/[^"]+)"/.exec(html)?.[1] ?? '';
    const url = new URL(href.replace(/&amp;/g, '&'));
    expect(url.pathname).toBe('/8613800000000');
    expect(url.searchParams.get('text')).toBe('Hello, I am interested in Steel bolt "Heavy" <M10>. https://shop.example.com/products/steel-bolt');
    expect(html).toContain('data-moat-chat="whatsapp"');
    expect(html).toContain('data-product-id="7001"');
    expect(html).toContain('aria-label="Chat on WhatsApp"');
  });

  it("uses the merchant's message ([product] replaced), the generic one off product pages, and nothing without a number", async () => {
    const custom = await renderBlock('chat-button', { product: sampleProduct() }, { settings: { number: '4915100000000', product_message: 'Quote for [product]?' } });
    expect(custom).toContain(`text=${encodeURIComponent('Quote for Steel bolt "Heavy" <M10>? https://shop.example.com/products/steel-bolt').replace(/%20/g, '+')}`);
    const home = await renderBlock('chat-button', {}, { locale: 'ja', settings: { number: '819000000000' } });
    expect(home).toContain(`text=${encodeURIComponent('こんにちは、質問があります。')}`);
    expect(home).not.toContain('data-product-id');
    expect((await renderBlock('chat-button', {}, {})).trim()).toBe('');
  });
});

describe('tracker app embed', () => {
  it('passes the product and selected variant as JSON and identifies a signed-in customer', async () => {
    const html = await renderBlock('moat-tracker', { product: sampleProduct(), customer: { id: 99, email: 'ada@example.com', name: 'Ada' } }, { settings: { site_key: 'shop1', endpoint: 'https://moat.example.com' } });
    const conf = JSON.parse(/<script type="application\/json" id="moat-config">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '');
    expect(conf).toEqual({
      site: 'shop1',
      endpoint: 'https://moat.example.com/moat/collect',
      gpc: 'respect',
      product: { id: 7001, handle: 'steel-bolt', title: 'Steel bolt "Heavy" <M10>', variant_id: 4001, sku: 'BOLT-R10', price: 12.5, currency: 'USD' },
    });
    expect(html).toContain(`window.moat.push(['identify', { customer_id: 99, email: "ada@example.com", name: "Ada" }]);`);
    const anonymous = await renderBlock('moat-tracker', {}, { settings: { site_key: 'shop1', endpoint: 'https://moat.example.com' } });
    expect(anonymous).not.toContain('identify');
    expect(JSON.parse(/id="moat-config">([\s\S]*?)<\/script>/.exec(anonymous)?.[1] ?? '').product).toBeUndefined();
  });
});

describe('extension files', () => {
  it('ships only file types Shopify accepts in a theme app extension', () => {
    const allowed: Record<string, RegExp> = { assets: /\.(js|css|json|png|svg|jpg|gif|woff2?)$/, blocks: /\.liquid$/, snippets: /\.liquid$/, locales: /\.json$/ };
    for (const dir of Object.keys(allowed)) {
      let files: string[] = [];
      try {
        files = readdirSync(join(EXTENSION_DIR, dir));
      } catch {}
      for (const f of files) expect(f, `${dir}/${f}`).toMatch(allowed[dir]);
    }
    expect(readFileSync(join(EXTENSION_DIR, 'shopify.extension.toml'), 'utf8')).toContain('type = "theme"');
  });
});
