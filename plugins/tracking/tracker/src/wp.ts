/**
 * WordPress add-on (t-wp.js; the core loads it on pages that reference /wp-content/ or
 * /wp-includes/): forms of the major form plugins, recorded once and only when the plugin
 * says the submission went through, classified from their fields and the page, with the
 * product they are about; and WooCommerce carts, classic (wc-ajax, form posts) and the
 * block themes' Store API, with item names and prices from the page or the responses.
 *
 * Form plugins and how each reports its outcome (all submit by AJAX):
 * - Contact Form 7: fetch to /wp-json/contact-form-7/v1/contact-forms/<id>/feedback; DOM
 *   events wpcf7mailsent (sent) / wpcf7invalid, wpcf7spam, wpcf7mailfailed (not sent).
 * - WPForms (.wpforms-ajax-form), Elementor Pro (form.elementor-form), Fluent Forms
 *   (form.frm-fluent-form), Ninja Forms (no submit event at all): jQuery.ajax to
 *   admin-ajax.php with action wpforms_submit / elementor_pro_forms_send_form /
 *   fluentform_submit / nf_ajax_submit; the JSON answer says whether it was accepted.
 * - Gravity Forms (AJAX forms post into an iframe): jQuery event gform_confirmation_loaded.
 * A form without a known plugin (or a plugin form submitted without AJAX) is recorded at
 * submit, as the core does everywhere else.
 */
import { bodyData, type Core, num, register, urlOf } from './addon';
import { classify, pageProduct, readForm } from './wp-forms';

type Plugin = 'cf7' | 'wpforms' | 'gravity' | 'elementor' | 'fluent' | 'ninja';

/** admin-ajax.php actions of the form plugins -> plugin */
const ACTIONS: Record<string, Plugin> = {
  wpforms_submit: 'wpforms',
  elementor_pro_forms_send_form: 'elementor',
  fluentform_submit: 'fluent',
  nf_ajax_submit: 'ninja',
};

/** The plugin whose AJAX submission will report the outcome, or undefined (recorded at submit). */
function pluginOf(form: HTMLFormElement): Plugin | undefined {
  if (form.closest('.wpcf7')) return 'cf7';
  if (form.matches('.wpforms-form.wpforms-ajax-form')) return 'wpforms';
  if (form.matches('form.elementor-form')) return 'elementor';
  if (form.matches('form.frm-fluent-form')) return 'fluent';
  if (/^gform_ajax_frame_/.test(form.getAttribute('target') || '')) return 'gravity';
  return undefined;
}

register('wp', (core: Core) => {
  const { emit, send, hooks, on, safe } = core;
  const w = window as any;
  const d = document;
  const product = safe(pageProduct)();
  const woo = wooCommerce(core);

  // the store owner's rules for this site (Tracking page in the admin): selector -> kind
  let rules: { match: string; kind: string }[] = [];
  fetch(new URL(`/api/tracking/v1/sites/${encodeURIComponent(core.site)}/form-rules`, core.endpoint).href, { credentials: 'omit' })
    .then((r) => (r.ok ? r.json() : { rules: [] }))
    .then(safe((json: { rules?: typeof rules }) => (rules = Array.isArray(json.rules) ? json.rules : [])), () => 0);
  const ruleFor = (root: Element) => rules.find((rule) => safe(() => root.matches(rule.match))())?.kind;

  /** The form_submit properties of a form (or of Ninja Forms' container); null: a rule says ignore it. */
  function describe(root: Element, plugin?: Plugin) {
    const ruled = ruleFor(root);
    if (ruled === 'ignore') return null;
    const read = readForm(root);
    const { product: named, quantity, ...fields } = read.fields;
    const kind = ruled ?? classify(root, read, !!product);
    const about = named ? { ...product, name: named } : product;
    return { form: kind, fields, ...(quantity ? { quantity } : {}), ...(about ? { product: about } : {}), ...(plugin ? { plugin } : {}) };
  }

  // --- forms: submissions waiting for their plugin's verdict (latest per plugin)
  const waiting = new Map<Plugin, { form: Element; props: Record<string, unknown> }>();
  const verdict = safe((plugin: Plugin, accepted: boolean, form?: Element) => {
    const entry = waiting.get(plugin);
    if (!entry || (form && entry.form !== form && !entry.form.contains(form) && !form.contains(entry.form))) return;
    waiting.delete(plugin);
    // a submission the plugin refused (invalid fields, spam, mail failure) is not an inquiry
    if (accepted) emit('form_submit', entry.props, true);
  });

  hooks.f.push(
    safe((form: HTMLFormElement) => {
      if (woo.isCartForm(form)) {
        // the cart page's update: recorded now, whether WooCommerce's cart.js sends it by AJAX or not
        woo.cartPage(form);
        return true; // add-to-cart forms: recorded below once we know no script took them over
      }
      const plugin = pluginOf(form);
      const props = describe(form, plugin);
      if (!props) return true; // ignored by the store owner's rule
      if (plugin) waiting.set(plugin, { form, props });
      else emit('form_submit', props, true);
      return true;
    }),
  );

  // Contact Form 7's DOM events bubble from its .wpcf7 container
  for (const [type, ok] of [
    ['wpcf7mailsent', true],
    ['wpcf7invalid', false],
    ['wpcf7spam', false],
    ['wpcf7mailfailed', false],
  ] as const) {
    on(d, type, (e: Event) => verdict('cf7', ok, e.target as Element));
  }

  // admin-ajax.php answers of the jQuery-based plugins
  const accepted = (status: number, text: string) => {
    if (status >= 300) return false;
    try {
      const json = JSON.parse(text);
      const errors = json?.errors ?? json?.data?.errors;
      return json?.success !== false && !(errors && Object.keys(errors).length);
    } catch {
      return false;
    }
  };
  hooks.x.push(
    safe((xhr: XMLHttpRequest, url: string, body: unknown) => {
      if (!/admin-ajax\.php/.test(url)) return;
      const data = bodyData(body);
      const plugin = ACTIONS[data.action];
      if (!plugin) return;
      if (plugin === 'ninja') {
        // Ninja Forms has no <form> submit: read its container when the answer comes
        const id = safe(() => JSON.parse(data.formData).id)();
        const root = d.getElementById(`nf-form-${id}-cont`);
        const props = root && describe(root, 'ninja');
        if (root && props) waiting.set('ninja', { form: root, props });
      }
      on(xhr, 'load', () => verdict(plugin, accepted(xhr.status, xhr.responseText)));
    }),
  );
  // Gravity Forms (AJAX into an iframe) announces a confirmation through jQuery
  const gravity = () => w.jQuery?.(d).on('gform_confirmation_loaded', safe(() => verdict('gravity', true)));
  w.jQuery ? gravity() : on(d, 'DOMContentLoaded', gravity);

  // --- WooCommerce carts
  hooks.x.push(safe((xhr: XMLHttpRequest, url: string, body: unknown) => woo.xhr(xhr, url, body)));
  hooks.n.push(safe((url: string, body: unknown, res: Promise<Response>) => woo.storeApi(url, body, res)));
  on(window, 'submit', (e: SubmitEvent) => {
    if (!e.defaultPrevented && woo.formPost(e.target as HTMLFormElement)) send(true);
  });
  if (d.body?.classList.contains('woocommerce-checkout') && !d.body.classList.contains('woocommerce-order-received')) emit('checkout_started', {});
});

interface CartItem {
  product_id?: number;
  variant_id?: number;
  key?: string;
  sku?: string;
  name?: string;
  quantity?: number;
  price?: number;
  currency?: string;
}

/** Store API cart item -> our item (prices are integers in minor units there). */
function storeItem(i: any): CartItem {
  const minor = Number(i?.prices?.currency_minor_unit ?? 2);
  return {
    product_id: num(i.id),
    key: i.key,
    sku: i.sku || undefined,
    name: i.name,
    quantity: num(i.quantity),
    price: i?.prices?.price != null ? Number(i.prices.price) / 10 ** minor : undefined,
    currency: i?.prices?.currency_code,
  };
}

const first = (root: ParentNode | null | undefined, ...selectors: string[]) => {
  for (const s of selectors) {
    const el = root?.querySelector(s);
    if (el) return el;
  }
  return null;
};

/** A price shown on the page ("$1,299.00", "1.299,00 €") as a number, or undefined. */
function priceOf(el: Element | null | undefined): number | undefined {
  const text = el?.textContent?.replace(/[^\d.,]/g, '') ?? '';
  if (!text) return undefined;
  const normalized = /,\d{2}$/.test(text) ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  const n = Number(normalized);
  return Number.isFinite(n) ? n : undefined;
}

function wooCommerce({ emit, on, safe }: Core) {
  const d = document;
  /** cart items seen in Store API answers, by key: a removal names what it removed */
  const known = new Map<string, CartItem>();

  /** A product in a shop loop or on its page, by id: name from the button or the card. */
  function fromPage(productId: unknown): CartItem {
    const id = String(productId ?? '');
    const button = id ? d.querySelector<HTMLElement>(`[data-product_id="${CSS.escape(id)}"]`) : null;
    const card = button?.closest('.product, li, .wc-block-grid__product');
    const aria = button?.getAttribute('aria-label')?.match(/[“"‘'](.+)[”"’']/)?.[1];
    const single = d.body.classList.contains('single-product') ? d.querySelector('.product_title')?.textContent : undefined;
    return {
      product_id: num(id),
      sku: button?.dataset.product_sku || undefined,
      name: (button?.dataset.product_name || aria || card?.querySelector('.woocommerce-loop-product__title, h2, h3')?.textContent || single || '').trim() || undefined,
      // on sale, the <ins> price is the one paid
      price: priceOf(first(card, '.price ins .amount', '.price .amount') ?? (single ? first(d, '.summary .price ins .amount', '.summary .price .amount') : null)),
    };
  }

  const isCartForm = (form: HTMLFormElement) =>
    !!form.querySelector('[name="add-to-cart"]') || form.classList.contains('woocommerce-cart-form');


  return {
    isCartForm,

    /** The cart page's form: the lines whose quantity the buyer changed (none: a coupon, not an update). */
    cartPage(form: HTMLFormElement) {
      if (!form.classList.contains('woocommerce-cart-form')) return;
      const items: CartItem[] = [];
      for (const input of Array.from(form.querySelectorAll<HTMLInputElement>('input[name^="cart["][name$="[qty]"]'))) {
        if (input.value === input.defaultValue) continue;
        const row = input.closest('tr');
        items.push({
          key: /^cart\[([^\]]+)\]/.exec(input.name)?.[1],
          name: first(row, '.product-name a', '.product-name')?.textContent?.trim() || undefined,
          quantity: num(input.value),
          price: priceOf(first(row, '.product-price .amount')),
        });
      }
      if (items.length) emit(items.every((i) => i.quantity === 0) ? 'cart_remove' : 'cart_update', { items });
    },

    /** An add-to-cart form posted without script (the page is about to go). */
    formPost(form: HTMLFormElement): boolean {
      if (!(form instanceof HTMLFormElement) || !form.querySelector('[name="add-to-cart"]')) return false;
      const data = Object.fromEntries(new FormData(form) as any);
      const submitter = form.querySelector<HTMLButtonElement>('button[name="add-to-cart"]');
      const item = fromPage(data['add-to-cart'] ?? submitter?.value);
      emit('cart_add', { items: [{ ...item, variant_id: num(data.variation_id) || undefined, quantity: num(data.quantity) ?? 1 }] });
      return true;
    },

    /** Classic AJAX cart (jQuery): ?wc-ajax=add_to_cart | remove_from_cart, and the cart page's ?remove_item= links. */
    xhr(xhr: XMLHttpRequest, url: string, body: unknown) {
      const removeKey = safe(() => urlOf(url).searchParams.get('remove_item'))();
      if (removeKey) {
        const row = d.querySelector(`a.remove[data-cart_item_key="${CSS.escape(removeKey)}"]`)?.closest('tr');
        const item: CartItem = {
          key: removeKey,
          name: first(row, '.product-name a', '.product-name')?.textContent?.trim() || undefined,
          price: priceOf(first(row, '.product-price .amount')),
          quantity: 0,
        };
        on(xhr, 'load', () => xhr.status < 400 && emit('cart_remove', { items: [item] }));
        return;
      }
      const action = safe(() => urlOf(url).searchParams.get('wc-ajax'))();
      if (action !== 'add_to_cart' && action !== 'remove_from_cart') return;
      const data = bodyData(body);
      on(xhr, 'load', () => {
        if (xhr.status >= 300 || /"error"\s*:\s*true/.test(xhr.responseText)) return;
        if (action === 'add_to_cart') emit('cart_add', { items: [{ ...fromPage(data.product_id), sku: data.product_sku || undefined, quantity: num(data.quantity) ?? 1 }] });
        else {
          const link = d.querySelector<HTMLElement>(`[data-cart_item_key="${CSS.escape(String(data.cart_item_key))}"]`);
          const item = fromPage(link?.dataset.product_id);
          emit('cart_remove', { items: [{ ...item, key: data.cart_item_key, quantity: 0, name: item.name || link?.closest('li')?.querySelector('a:not(.remove)')?.textContent?.trim() }] });
        }
      });
    },

    /** Block themes: the Store API (also as ?rest_route=), one call or a batch. */
    storeApi(url: string, body: unknown, res: Promise<Response>) {
      const u = urlOf(url);
      const route = (u.searchParams.get('rest_route') || u.pathname).replace(/^.*\/wc\/store(\/v\d+)?/, '');
      if (!/^\/(cart|batch)/.test(route)) return;
      res.then(
        safe((r: Response) => {
          if (!r.ok) return;
          r.clone()
            .json()
            .then(
              safe((json: any) => {
                if (route === '/batch') {
                  const requests = bodyData(body).requests ?? [];
                  requests.forEach((q: any, i: number) => {
                    apply(String(q.path).replace(/^.*\/wc\/store(\/v\d+)?/, ''), q.body ?? {}, json?.responses?.[i]?.body);
                  });
                } else apply(route, bodyData(body), json);
              }),
              () => 0,
            );
        }),
        () => 0,
      );
    },
  };

  function apply(route: string, request: Record<string, any>, cart: any) {
    const before = request.key ? known.get(request.key) : undefined;
    const items: CartItem[] = Array.isArray(cart?.items) ? cart.items.map(storeItem) : [];
    for (const item of items) if (item.key) known.set(item.key, item);
    const find = (pred: (i: CartItem) => boolean) => items.find(pred);
    if (route === '/cart/add-item') {
      const item = find((i) => i.product_id === num(request.id)) ?? fromPage(request.id);
      emit('cart_add', { items: [{ ...item, quantity: num(request.quantity) ?? 1 }] });
    } else if (route === '/cart/update-item') {
      emit('cart_update', { items: [find((i) => i.key === request.key) ?? { key: request.key, quantity: num(request.quantity) }] });
    } else if (route === '/cart/remove-item') {
      emit('cart_remove', { items: [{ ...(before ?? {}), key: request.key, quantity: 0 }] });
    }
  }
}
