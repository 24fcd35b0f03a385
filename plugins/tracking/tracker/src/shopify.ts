/**
 * Shopify add-on (t-shopify.js; the core loads it where window.Shopify exists): cart events
 * from the theme's calls to the Ajax cart API (/cart/add|change|update|clear, with or without
 * .js or a locale prefix, by fetch or XHR), and from cart forms posted without script.
 */
import { addLanguages, bodyData, num, register, urlOf } from './addon';

register('shopify', (core) => {
  const { emit, send, hooks, on, safe } = core;
  addLanguages(core);
  const CART = /\/cart\/(add|change|update|clear)(\.js)?$/;
  const cartKind = (url: unknown) => safe(() => CART.exec(urlOf(url).pathname)?.[1])();
  const cart = safe((kind: string, body: unknown) => {
    const data = bodyData(body);
    const items = data.items
      ? data.items.map((i: any) => ({ variant_id: num(i.id), quantity: num(i.quantity) ?? 1 }))
      : data.updates
        ? Object.entries(data.updates).map(([id, q]) => ({ variant_id: num(id), quantity: num(q) }))
        : [{ variant_id: num(data.id), line: num(data.line), quantity: num(data.quantity) ?? (kind === 'add' ? 1 : undefined) }];
    const type = kind === 'add' ? 'cart_add' : kind === 'clear' ? 'cart_clear' : kind === 'change' && items[0].quantity === 0 ? 'cart_remove' : 'cart_update';
    emit(type, kind === 'clear' ? {} : { items });
  });
  // a cart form no script intercepted is a full-page POST: record it before the page goes
  on(window, 'submit', (e: SubmitEvent) => {
    const form = e.target as HTMLFormElement;
    const kind = !e.defaultPrevented && cartKind(form.getAttribute('action'));
    if (kind) {
      cart(kind, new FormData(form));
      send(true);
    }
  });
  hooks.n.push(
    safe((url: string, body: unknown, res: Promise<Response>) => {
      const kind = cartKind(url);
      if (kind) res.then((r) => r.ok && cart(kind, body), () => 0);
    }),
  );
  hooks.x.push(
    safe((xhr: XMLHttpRequest, url: string, body: unknown) => {
      const kind = cartKind(url);
      if (kind) on(xhr, 'load', () => xhr.status < 300 && cart(kind, body));
    }),
  );
});
