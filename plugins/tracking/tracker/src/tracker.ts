/**
 * Moat's browser tracker: one <script async src=".../moat/t.js" data-site="KEY"> on any
 * storefront. Built by scripts/build-tracker.mjs into public/moat/t.js and the Shopify theme
 * extension's assets; the built file is generated, never edited. Budget: 3,072 B gzipped.
 *
 * Rules: nothing escapes (every entry point is wrapped), nothing calls preventDefault, the
 * theme gets the very response objects it asked for, and nothing behavioural leaves the
 * page before consent. Only types are imported from the shared contract: zod stays server-side.
 */
import type { BrowserEvent, BrowserEventType, CollectBatch } from '../../server/src/contracts/events';

type Props = Record<string, unknown>;
type Fn = (...args: any[]) => any;

const w = window as any;
const d = document;
const nav = navigator as any;
const now = Date.now;
const MAX_BATCH = 50;
const IDLE_MS = 30_000;

/** Calls fn, swallowing anything it throws: the host page must never see our errors. */
const safe =
  <F extends Fn>(fn: F) =>
  (...args: Parameters<F>): ReturnType<F> | undefined => {
    try {
      return fn(...args);
    } catch {
      return undefined;
    }
  };
const store = {
  get: safe((k: string) => localStorage.getItem(k)),
  set: safe((k: string, v: string | null) => (v == null ? localStorage.removeItem(k) : localStorage.setItem(k, v))),
};
/**
 * ids for visitors and events: the time, then ~52 random bits: unique enough, tiny in code.
 * Time first, so the server's indexes on these ids grow at their end: measured on SQLite,
 * random-first ids made each stored event 6-8x slower to write (72-103 vs 11-12 µs) once the
 * indexes outgrew the cache.
 */
const rid = () => now().toString(36) + Math.random().toString(36).slice(2, 12);
const on = (target: EventTarget, type: string, fn: Fn, capture = false) =>
  target.addEventListener(type, safe(fn), { capture, passive: true });

safe(() => {
  if (w.moat && !Array.isArray(w.moat)) return; // loaded twice
  const script = d.currentScript as HTMLScriptElement | null;
  // a script tag carries data-* attributes; the Shopify app embed passes a JSON config instead
  const conf: Record<string, string | undefined> = script?.dataset.site
    ? script.dataset
    : JSON.parse(d.getElementById('moat-config')?.textContent || '{}');
  const site = conf.site;
  if (!script || !site) return;
  const endpoint = conf.endpoint || new URL('/moat/collect', script.src).href;
  /** filled by platform add-ons (each function wraps itself in safe): f(form, props) takes a
   * submit over when it returns true; n(url, body, response promise) sees every fetch;
   * x(xhr, url, body) every XHR */
  const hooks: Record<'f' | 'n' | 'x', Fn[]> = { f: [], n: [], x: [] };
  const F: typeof fetch = w.fetch;

  const visitor = store.get('moat_vid') || rid();
  /** null: not known yet (nothing is sent); false: denied (nothing is sent, queue dropped) */
  let granted: boolean | null = conf.consent === 'required' ? null : true;
  let queue: BrowserEvent[] = JSON.parse(store.get('moat_q') || '[]');
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let backoff = 1000;

  const ctx: CollectBatch['ctx'] = { tz: Intl.DateTimeFormat().resolvedOptions().timeZone, lang: nav.language };

  function send(beacon?: boolean) {
    clearTimeout(timer);
    timer = 0;
    if (!granted || !queue.length) return;
    const events = queue.splice(0, MAX_BATCH);
    const body = JSON.stringify({ site, visitor, sent: now(), ctx, events });
    const retry = () => {
      queue = events.concat(queue);
      store.set('moat_q', JSON.stringify(queue.slice(0, 200)));
      timer ||= setTimeout(send, (backoff = Math.min(backoff * 2, 60_000)));
    };
    if (beacon && nav.sendBeacon?.(endpoint, new Blob([body], { type: 'text/plain' }))) {
      store.set('moat_q', null);
    } else {
      F(endpoint, { method: 'POST', body, keepalive: body.length < 60_000, credentials: 'omit' }).then((r) => {
        // 4xx other than 429 will never succeed: drop rather than retry forever
        if (r.status >= 500 || r.status === 429) retry();
        else {
          backoff = 1000;
          store.set('moat_q', null);
          if (queue.length) send();
        }
      }, retry);
    }
    if (queue.length) send(beacon);
  }

  function emit(type: BrowserEventType, props?: Props, urgent?: boolean, extra?: Partial<BrowserEvent>) {
    if (granted === false) return;
    queue.push({ id: rid(), type, ts: now(), url: location.href, props: props as BrowserEvent['props'], ...extra });
    if (urgent || queue.length >= 10) send(urgent);
    else timer ||= setTimeout(send, 1000);
  }

  function consent(yes: boolean) {
    granted = !!yes;
    if (granted) {
      store.set('moat_vid', visitor);
      send();
    } else {
      queue = [];
      store.set('moat_vid', null);
      store.set('moat_q', null);
    }
  }

  // --- consent: Shopify Customer Privacy API, else data-consent + moat.consent(), and GPC
  const shopify = w.Shopify;
  if (shopify?.loadFeatures) {
    granted = null;
    shopify.loadFeatures(
      [{ name: 'consent-tracking-api', version: '0.1' }],
      safe((err: unknown) => {
        // "not allowed" at load usually means "not decided yet" (banner showing): keep waiting,
        // in memory only; an explicit decision arrives as visitorConsentCollected
        if (!err && granted === null && shopify.customerPrivacy.analyticsProcessingAllowed()) consent(true);
      }),
    );
    on(d, 'visitorConsentCollected', (e: CustomEvent) => consent(e.detail?.analyticsAllowed));
  }
  if (conf.gpc === 'respect' && nav.globalPrivacyControl) granted = false;
  if (granted) store.set('moat_vid', visitor);

  // --- engagement: visible and active time, max scroll depth; reported when the page hides
  let engaged = 0;
  let lastTick = now();
  let lastAct = lastTick;
  let scroll = 0;
  // the state since the last tick: a hide is counted up to the moment it happened
  let visible = d.visibilityState === 'visible';
  const tick = () => {
    const t = now();
    if (visible && t - lastAct < IDLE_MS) engaged += t - lastTick;
    lastTick = t;
  };
  const act = () => {
    tick();
    lastAct = now();
  };
  for (const type of ['pointerdown', 'keydown', 'mousemove']) on(d, type, act, true);
  on(w, 'scroll', () => {
    act();
    const el = d.documentElement;
    scroll = Math.max(scroll, Math.min(100, Math.round(((w.scrollY + w.innerHeight) / el.scrollHeight) * 100)));
  });
  setInterval(safe(tick), 5000);
  const reportEngagement = (beacon?: boolean) => {
    tick();
    // lastUrl is the page being left (an SPA has already changed location.href)
    if (engaged > 0) emit('engagement', { engaged_ms: engaged, scroll_pct: scroll }, beacon, { url: lastUrl });
    engaged = 0;
  };
  const hide = () => {
    reportEngagement(true);
    // pagehide and visibilitychange both fire on leaving, in either order: count nothing after the first
    visible = false;
    send(true);
  };
  on(d, 'visibilitychange', () => {
    tick();
    visible = d.visibilityState === 'visible';
    visible ? act() : hide();
  });
  on(w, 'pagehide', hide);
  on(w, 'pageshow', () => (visible = d.visibilityState === 'visible')); // back/forward cache restore

  // --- page views, also for SPA history navigation; product views on product pages
  let path = '';
  let lastUrl = d.referrer;
  const page = () => {
    if (location.pathname === path) return;
    if (path) {
      reportEngagement();
      scroll = 0;
    }
    path = location.pathname;
    emit('page_view', { path }, false, { referrer: lastUrl || undefined, title: d.title.slice(0, 500) });
    lastUrl = location.href;
    // Shopify's product meta stays on the page after SPA navigation: trust it on /products/ only
    const meta = /\/products\//.test(path) && w.ShopifyAnalytics?.meta?.product;
    const og = (p: string) => d.querySelector<HTMLMetaElement>(`meta[property="${p}"]`)?.content;
    const product = meta
      ? { id: meta.id, handle: meta.handle, title: meta.title, price: meta.price, currency: meta.currency }
      : og('og:type') === 'product' && { title: og('og:title'), price: og('product:price:amount'), currency: og('product:price:currency') };
    if (product) emit('product_view', { product });
  };
  for (const m of ['pushState', 'replaceState']) {
    const orig = history[m as 'pushState'];
    history[m as 'pushState'] = function (this: History, ...args: Parameters<History['pushState']>) {
      const r = orig.apply(this, args);
      setTimeout(safe(page));
      return r;
    };
  }
  on(w, 'popstate', page);

  // --- forms: one capture-phase listener; classify and keep contact fields, never secrets
  const SECRET = /pass|card|cc-|cvv|cvc|token|csrf|captcha|iban|ssn|secret/i; // "token" covers authenticity_token
  // autocomplete tokens first, then input types, then field names (Dawn names its fields in the
  // shop's language: contact[Nom], contact[Numéro de téléphone]). Latin-script roots of en fr de
  // es it pt nl here; the platform add-ons append ja zh ko ru ar (x.fields) to stay in budget
  const AC: Record<string, string> = { email: 'email', tel: 'phone', organization: 'company', name: 'name', 'given-name': 'name', 'family-name': 'name' };
  const FIELDS: [string, string][] = [
    ['email', 'mail|correo|courriel'],
    ['company', 'compan|organi|business|firm|soci|entrep|empresa|azienda|bedrijf'],
    ['phone', 'phone|tel|mobil|whatsapp|handy'],
    ['name', 'name|nom|naam'],
    ['message', 'mess|body|comment|quir|question|detail|kommentar|note|nachricht|mensaje|mensagem|bericht'], // quir: inquiry, enquiry, requirement
  ];
  on(
    d,
    'submit',
    (e: SubmitEvent) => {
      const form = e.target as HTMLFormElement;
      if (!(form instanceof HTMLFormElement)) return;
      // getAttribute: a control named "id" or "action" shadows form.id / form.action (Shopify's have one)
      const attr = (n: string) => form.getAttribute(n) || '';
      if ((e.submitter as HTMLButtonElement)?.name === 'checkout' || /\/checkout$/.test(attr('action'))) return emit('checkout_started', {}, true);
      const fields: Record<string, string> = {};
      const names: string[] = [];
      let visible = 0;
      // form.elements holds fieldsets, outputs, objects and custom elements too (CF7 >= 6.1 wraps
      // its hidden inputs in a fieldset): an element we cannot read is skipped, never the submit
      for (const el of Array.from(form.elements) as HTMLInputElement[]) {
        try {
          const name = el.name || el.id || '';
          const inner = (/\[([^\]]+)\]$/.exec(name)?.[1] ?? name).toLowerCase();
          const value = String(el.value ?? '');
          names.push(inner, value.toLowerCase().slice(0, 40));
          if (!el.name || el.disabled || /password|hidden|submit|button|file/.test(el.type) || SECRET.test(name) || SECRET.test(el.autocomplete)) continue;
          if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked) continue;
          visible++;
          const key =
            AC[el.autocomplete?.split(' ').pop() as string] ||
            (el.type === 'email' ? 'email' : el.type === 'tel' ? 'phone' : FIELDS.find(([, re]) => RegExp(re).test(inner))?.[0]);
          // given and family name (or first and last) in two fields make one name
          if (key && value && (!fields[key] || key === 'name'))
            fields[key] = (fields[key] ? `${fields[key]} ` : '') + value.slice(0, key === 'message' ? 2000 : 256);
        } catch {}
      }
      const hints = `${attr('id')} ${attr('class')} ${attr('action')} ${names.join(' ')}`.toLowerCase();
      const kind =
        form.dataset.moatForm ||
        (/rfq|quot|inquiry|enquiry|wholesale|bulk|moq/.test(hints)
          ? 'inquiry'
          : /newsletter|subscribe/.test(hints) || (fields.email && visible === 1)
            ? 'newsletter'
            : /contact/.test(hints) || (fields.email && fields.message)
              ? 'contact'
              : 'other');
      const product = w.ShopifyAnalytics?.meta?.product;
      const props = { form: kind, fields, product: product && { id: product.id, title: product.title } };
      // a platform add-on may take the submit over (classify it, wait for the form plugin's outcome)
      // cart forms (action /cart…) are the platform add-on's, never a form_submit
      if (!hooks.f.some((f) => f(form, props)) && !/\/cart\b/.test(attr('action'))) emit('form_submit', props, true);
    },
    true,
  );

  // --- requests: platform add-ons see every fetch and XHR (carts); the theme keeps its own
  // response objects (an add-on reads a clone)
  w.fetch = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
    // biome-ignore lint/complexity/noArguments: pass the caller's exact arguments through
    const res = F.apply(this, arguments as any);
    for (const f of hooks.n) f(input instanceof Request ? input.url : String(input), init?.body, res);
    return res;
  };
  const X = XMLHttpRequest.prototype;
  const open = X.open;
  const xsend = X.send;
  X.open = function (this: any, _m: string, url: string | URL) {
    this._moat = String(url);
    // biome-ignore lint/complexity/noArguments: open() behaves differently by argument count
    return open.apply(this, arguments as any);
  };
  X.send = function (this: any, body?: any) {
    for (const f of hooks.x) f(this, this._moat, body);
    // biome-ignore lint/complexity/noArguments: pass the caller's exact arguments through
    return xsend.apply(this, arguments as any);
  };

  // --- public API (a pre-load array of [method, ...args] is replayed)
  const api = {
    identify: safe((traits: Props) => emit('identify', traits, true)),
    track: safe((name: string, props?: Props) =>
      /^(product_view|cart_view|checkout_started)$/.test(name) ? emit(name as BrowserEventType, props) : emit('custom', { ...props, event: name }),
    ),
    consent: safe(consent),
    visitor: () => visitor,
  };
  const pre: [keyof typeof api, ...unknown[]][] = w.moat || [];
  w.moat = api;
  page();
  for (const [m, ...args] of pre) (api[m] as Fn)?.(...args);
  // Platform add-ons (Shopify carts; WordPress form plugins and WooCommerce), loaded only on
  // pages that need them so the core stays within its budget everywhere: each registers with
  // moatAddons.push(fn), before or after this runs
  const x = { emit, send, hooks, on, safe, endpoint, site, fields: FIELDS };
  const pending = w.moatAddons || [];
  w.moatAddons = { push: (a: Fn) => safe(a)(x) };
  for (const a of pending) w.moatAddons.push(a);
  const load = (name: string) => {
    d.head.append(Object.assign(d.createElement('script'), { src: new URL(`/moat/t-${name}.js`, endpoint).href }));
    return true;
  };
  if (w.Shopify) load('shopify');
  let wp: unknown;
  const wordpress = () => (wp ||= d.querySelector('[src*="/wp-"],[href*="/wp-"]') && load('wp'));
  wordpress() || on(d, 'DOMContentLoaded', wordpress);
})();
