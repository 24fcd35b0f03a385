/**
 * Issue 17: Moat's one-line snippet on a WordPress site (real Chromium, real jQuery 3.7.1):
 * the major form plugins' AJAX submissions are stored once, with the right kind, fields and
 * product, and only when the plugin accepted them; WooCommerce carts (classic AJAX, form
 * posts, Store API) are stored with item names; the site's own requests are unchanged.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startWordPress } from '../fixtures/wordpress';
import { artifactPath } from '../helpers/browser';
import { useTrackerSuite, waitFor } from '../helpers/tracker-browser';
import { CHROME_UA, touchpointsOf } from '../helpers/tracking';

const SITE = 'wp_e2e';

/** What each form plugin page interaction types in, by element id. */
const FILL = {
  cf7Product: { '#q-name': 'Ana Souza', '#q-email': 'ana@obras.com.br', '#q-qty': '500', '#q-msg': 'Preço FOB Santos para 500 painéis?' },
  cf7Contact: { '#c-name': 'Tom Becker', '#c-email': 'tom@lichthaus.de', '#c-msg': 'Haben Sie ein Zertifikat?' },
  wpforms: { '#wpforms-44-field_1': 'Li Wei', '#wpforms-44-field_2': 'li.wei@example.cn', '#wpforms-44-field_3': '请问交货期多久？' },
  gravity: { '#input_7_1': 'news@example.fr' },
  elementor: { '#form-field-name': 'Omar Haddad', '#form-field-email': 'omar@gulf-build.ae', '#form-field-company': 'Gulf Build LLC', '#form-field-product': 'LED Panel 600', '#form-field-qty': '2000' },
  fluent: { '#ff_3_names_first_name_': 'Lucía', '#ff_3_email': 'lucia@ilumina.es', '#ff_3_message': '¿Tienen stock?' },
  ninja: { '#nf-field-10': 'Kenji Sato', '#nf-field-11': 'kenji@example.jp', '#nf-field-12': '見積もりをお願いします' },
};

async function fill(page: Page, values: Record<string, string>) {
  for (const [selector, value] of Object.entries(values)) await page.fill(selector, value);
}

describe('tracker on a WordPress / WooCommerce site (real Chromium)', () => {
  const suite = useTrackerSuite(SITE);

  /** The visitor's journey through the site; returns what the site itself saw. */
  async function visit(withTracker: boolean) {
    const wp = await startWordPress(withTracker ? { tracker: `${suite.app.url}/moat/t.js`, site: SITE } : {});
    const context = await suite.browser.newContext({ userAgent: CHROME_UA });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const ready = async () => {
      if (withTracker) await page.waitForFunction(() => (window as any).moat?.visitor && (window as any).moatLoaded?.includes('wp'));
    };
    const logged = (n: number) => page.waitForFunction((count) => (window as any).__log.length >= count, n);
    try {
      // a product page: a CF7 6.1 quote form (hidden inputs in a fieldset, an <output>)
      await page.goto(`${wp.url}/product/led-panel-600/`);
      await ready();
      const visitor = withTracker ? await page.evaluate(() => (window as any).moat.visitor()) : null;
      await page.click('.wpcf7 [type=submit]'); // empty: CF7 refuses it (validation_failed)
      await logged(1);
      await fill(page, FILL.cf7Product);
      await page.click('.wpcf7 [type=submit]');
      await logged(2);

      // the contact page: six plugins
      await page.goto(`${wp.url}/contact-us/`);
      await ready();
      await fill(page, FILL.cf7Contact);
      await page.click('#s-cf7 [type=submit]');
      await logged(1);
      await page.click('#wpforms-submit-44'); // empty email: WPForms answers success: false
      await logged(2);
      await fill(page, FILL.wpforms);
      await page.click('#wpforms-submit-44');
      await logged(3);
      await fill(page, FILL.gravity);
      await page.click('#gform_submit_button_7');
      await logged(4);
      await fill(page, FILL.elementor);
      await page.click('form.elementor-form button');
      await logged(5);
      await page.click('form.frm-fluent-form button'); // empty: 422
      await logged(6);
      await fill(page, FILL.fluent);
      await page.click('form.frm-fluent-form button');
      await logged(7);
      await fill(page, FILL.ninja);
      await page.click('#nf-field-13');
      await logged(8);
      const contactLog = await page.evaluate(() => (window as any).__log);
      await page.screenshot({ path: artifactPath(`wordpress-contact${withTracker ? '' : '-without'}.png`), fullPage: true });

      // WooCommerce: classic AJAX cart and the Store API
      await page.goto(`${wp.url}/shop/`);
      await ready();
      await logged(1); // the block cart's first GET
      await page.click('#loop-add');
      await logged(2);
      await page.click('#mini-remove');
      await logged(3);
      for (const [i, id] of ['#store-add', '#store-update', '#store-remove', '#store-batch'].entries()) {
        await page.click(id);
        await logged(4 + i);
      }
      const shopLog = await page.evaluate(() => (window as any).__log);

      // a classic add-to-cart form post (no script), then the checkout page
      await page.goto(`${wp.url}/product/led-panel-600/`);
      await ready();
      await page.fill('#quantity_1', '3');
      await Promise.all([page.waitForURL(/added=1/), page.click('.single_add_to_cart_button')]);
      // the classic cart page: change a quantity and update, remove a line (both by AJAX)
      await page.goto(`${wp.url}/cart/`);
      await ready();
      await page.fill('#qty-k501', '4');
      await page.click('#update-cart');
      await logged(1);
      await page.click('#remove-k502');
      await logged(2);
      // the tracker batches for a second and closing the context fires no pagehide: wait for
      // the batch that carries checkout_started to leave, however slow the machine is
      const checkoutSent = withTracker
        ? page.waitForRequest((r) => r.url().includes('/collect') && (r.postData() ?? '').includes('checkout_started'), { timeout: 20_000 })
        : Promise.resolve();
      await page.goto(`${wp.url}/checkout/`);
      await ready();
      await checkoutSent;
      await page.waitForTimeout(300);
      // the site's own address differs between the two runs (a new port)
      const requests = wp.requests.map((r) => ({ ...r, body: r.body.replaceAll(wp.url, '<site>') }));
      return { visitor, errors, requests, contactLog, shopLog };
    } finally {
      await context.close();
      await wp.close();
    }
  }

  it('stores each accepted form once with its kind, fields and product; refused ones not at all; WooCommerce carts with names; the site unchanged', async () => {
    const without = await visit(false);
    const withTracker = await visit(true);
    expect(withTracker.errors).toEqual([]);
    expect(withTracker.contactLog).toEqual(without.contactLog);
    expect(withTracker.shopLog).toEqual(without.shopLog);
    expect(withTracker.requests).toEqual(without.requests);

    const visitor = withTracker.visitor as string;
    const rows = await waitFor(
      async () => {
        const r = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
        return r.some((x) => x.type === 'checkout_started') && r.filter((x) => x.type.startsWith('cart_')).length >= 9 && r.filter((x) => x.type === 'form_submit').length >= 7 ? r : undefined;
      },
      'every form and cart event',
      20_000,
      async () => (await touchpointsOf(suite.app.strapi, { visitor_id: visitor })).map((r) => `${r.type} ${r.path}`),
    );
    // a page's engagement leaves by beacon when the next page loads and may land after the
    // checkout batch: read until nothing more arrives for a second (duplicates would still show
    // in the exact lists of forms, carts and checkouts below)
    let final = rows;
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 1_000));
      const now = await touchpointsOf(suite.app.strapi, { visitor_id: visitor });
      if (now.length === final.length) break;
      final = now;
    }
    expect(final.filter((r) => r.type === 'page_view').map((r) => r.path)).toEqual(['/product/led-panel-600/', '/contact-us/', '/shop/', '/product/led-panel-600/', '/product/led-panel-600/', '/cart/', '/checkout/']);

    const forms = final.filter((r) => r.type === 'form_submit').map((r) => r.properties);
    const byPlugin = (plugin: string) => forms.filter((f) => f.plugin === plugin);
    // exactly one per accepted submission: the refused CF7, WPForms and Fluent ones are not there
    expect(forms.map((f) => f.plugin).sort()).toEqual(['cf7', 'cf7', 'elementor', 'fluent', 'gravity', 'ninja', 'wpforms']);
    const [quote, contact] = [byPlugin('cf7').find((f) => f.quantity), byPlugin('cf7').find((f) => !f.quantity)];
    expect(quote).toMatchObject({
      form: 'inquiry',
      fields: { name: 'Ana Souza', email: 'ana@obras.com.br', message: 'Preço FOB Santos para 500 painéis?' },
      quantity: '500',
      product: { name: 'LED Panel 600×600 40W', sku: 'LP-600-40', id: '501' },
    });
    expect(contact).toMatchObject({ form: 'contact', fields: { name: 'Tom Becker', email: 'tom@lichthaus.de' } });
    expect(contact?.product).toBeUndefined(); // the URL says "product-inquiry"; the form and page do not
    expect(byPlugin('wpforms')[0]).toMatchObject({ form: 'contact', fields: { name: 'Li Wei', email: 'li.wei@example.cn', message: '请问交货期多久？' } });
    expect(byPlugin('gravity')[0]).toMatchObject({ form: 'newsletter', fields: { email: 'news@example.fr' } });
    expect(byPlugin('elementor')[0]).toMatchObject({
      form: 'inquiry',
      fields: { name: 'Omar Haddad', email: 'omar@gulf-build.ae', company: 'Gulf Build LLC' },
      quantity: '2000',
      product: { name: 'LED Panel 600' },
    });
    expect(byPlugin('fluent')[0]).toMatchObject({ form: 'contact', fields: { name: 'Lucía', email: 'lucia@ilumina.es', message: '¿Tienen stock?' } });
    expect(byPlugin('ninja')[0]).toMatchObject({ form: 'contact', fields: { name: 'Kenji Sato', email: 'kenji@example.jp', message: '見積もりをお願いします' } });
    for (const f of forms) expect(JSON.stringify(f)).not.toMatch(/_wpcf7|nonce|9a8b7c|abc123|f00d/);

    const carts = final.filter((r) => r.type.startsWith('cart_')).map((r) => [r.type, r.properties.items.map((i: any) => `${i.name} ×${i.quantity}${i.price ? ` @${i.price}` : ''}`).join(', ')]);
    expect(carts).toEqual([
      ['cart_add', 'LED Panel 600×600 40W ×1 @38.5'],
      ['cart_remove', 'Constant-current driver 40W ×0 @9.9'],
      ['cart_add', 'LED Panel 600×600 40W ×2 @38.5'],
      ['cart_update', 'LED Panel 600×600 40W ×5 @38.5'],
      ['cart_remove', 'LED Panel 600×600 40W ×0 @38.5'],
      ['cart_add', 'Constant-current driver 40W ×3 @9.9'],
      ['cart_add', 'LED Panel 600×600 40W ×3 @38.5'],
      ['cart_update', 'LED Panel 600×600 40W ×4 @38.5'],
      ['cart_remove', 'Constant-current driver 40W ×0 @9.9'],
    ]);
    expect(final.filter((r) => r.type === 'checkout_started').map((r) => r.path)).toEqual(['/checkout/']);
  });

  it("follows the store owner's form rules: a selector makes a form an inquiry, or ignores it", async () => {
    await suite.app.strapi.plugin('tracking').service('form-rules').set(SITE, [
      { match: '#gform_7', kind: 'ignore' },
      { match: 'form.wpforms-form[data-formid="44"]', kind: 'inquiry' },
      { match: 'not a [valid selector', kind: 'contact' },
    ]);
    const wp = await startWordPress({ tracker: `${suite.app.url}/moat/t.js`, site: SITE });
    const context = await suite.browser.newContext({ userAgent: CHROME_UA });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      const rulesLoaded = page.waitForResponse((r) => r.url().includes(`/sites/${SITE}/form-rules`));
      await page.goto(`${wp.url}/contact-us/`);
      await page.waitForFunction(() => (window as any).moat?.visitor && (window as any).moatLoaded?.includes('wp'));
      await rulesLoaded;
      const visitor: string = await page.evaluate(() => (window as any).moat.visitor());
      await fill(page, FILL.gravity);
      await page.click('#gform_submit_button_7');
      await page.waitForFunction(() => (window as any).__log.length >= 1);
      await fill(page, FILL.wpforms);
      await page.click('#wpforms-submit-44');
      await page.waitForFunction(() => (window as any).__log.length >= 2);
      await fill(page, FILL.cf7Contact);
      await page.click('#s-cf7 [type=submit]');
      await page.waitForFunction(() => (window as any).__log.length >= 3);
      const forms = await waitFor(
        async () => {
          const rows = (await touchpointsOf(suite.app.strapi, { visitor_id: visitor, type: 'form_submit' })).map((r) => r.properties);
          return rows.length >= 2 ? rows : undefined;
        },
        'two forms',
      );
      await new Promise((r) => setTimeout(r, 800));
      expect(errors).toEqual([]);
      const final = (await touchpointsOf(suite.app.strapi, { visitor_id: visitor, type: 'form_submit' })).map((r) => [r.properties.plugin, r.properties.form]);
      expect(final).toHaveLength(forms.length);
      expect(final.sort()).toEqual([
        ['cf7', 'contact'],
        ['wpforms', 'inquiry'],
      ]);
    } finally {
      await context.close();
      await wp.close();
    }
  });
});
