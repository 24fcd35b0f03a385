/**
 * Reading and classifying a form on a WordPress site (used by the WordPress add-on, wp.ts):
 * contact fields by the standard autocomplete tokens first, then input types, then field
 * names and labels in the languages exporters' buyers write in; the kind of form from its
 * fields and the page, never from the page's URL.
 */

export type Fields = Record<string, string>;
export type FormKind = 'inquiry' | 'contact' | 'newsletter' | 'other';

/** Field names that hold secrets (the server drops them again: contracts/sensitive.ts). */
const SECRET = /pass|pwd|card|cc-|cc_|cvv|cvc|csc|token|csrf|xsrf|nonce|captcha|iban|ssn|secret|otp|^_wp|^_wpcf7|honeypot/i;

/** autocomplete tokens -> our field (https://html.spec.whatwg.org/#autofill-field) */
const AUTOCOMPLETE: Record<string, string> = {
  email: 'email',
  name: 'name',
  'given-name': 'name',
  'family-name': 'name',
  tel: 'phone',
  'tel-national': 'phone',
  organization: 'company',
};

/** Our field from a field's name, id or label, in en, fr, de, es, it, pt, nl, ja, zh, ko, ru, ar. */
const NAMED: [string, RegExp][] = [
  ['email', /e-?mail|courriel|correo|メール|邮箱|邮件|電子|이메일|почта|بريد/i],
  ['phone', /phone|tel|mobile|whats ?app|handy|telefon|teléfono|telefono|telefone|téléphone|電話|电话|手机|전화|телефон|هاتف/i],
  ['company', /compan|organi|business|firma|unternehmen|empresa|société|societe|entreprise|azienda|bedrijf|会社|公司|企业|회사|компания|организац|شركة/i],
  ['product', /product|produkt|producto|produit|prodotto|produto|商品|产品|製品|제품|товар|منتج|item|sku/i],
  ['quantity', /quantit|qty|menge|anzahl|cantidad|quantidade|hoeveelheid|aantal|数量|수량|количеств|كمية|moq/i],
  ['name', /name|nom|nombre|nome|naam|名前|氏名|姓名|名字|이름|имя|фио|اسم/i],
  ['message', /mess|body|comment|kommentar|nachricht|mensaje|commentaire|messaggio|mensagem|bericht|quir|question|detail|requirement|note|お問い合わせ|内容|留言|需求|문의|сообщени|رسالة/i],
];

/** Signals of a request for quotation, in the field names and labels of the form. */
const INQUIRY = /rfq|quot|inquiry|enquiry|wholesale|bulk|moq|incoterm|fob|cif|exw|target.?price|price|preis|precio|prix|prezzo|quantit|qty|menge|cantidad|询价|询盘|报价|数量|見積|견적|수량|запрос|количеств|تسعير/i;
const NEWSLETTER = /newsletter|subscribe|abonn|suscri|iscriv|inschrijv|訂閱|订阅|購読|구독|подпис/i;

const labelOf = (el: HTMLInputElement) => {
  const label = el.labels?.[0]?.textContent || el.getAttribute('aria-label') || el.placeholder || '';
  return label.trim().slice(0, 80);
};

/** The form's readable controls: form.elements for a form, the controls inside any other element. */
function controls(root: Element): HTMLInputElement[] {
  const list = root instanceof HTMLFormElement ? Array.from(root.elements) : Array.from(root.querySelectorAll('input,select,textarea'));
  return list as HTMLInputElement[];
}

/**
 * Contact fields, the product a buyer named, and every field's name and label (for
 * classification). An element that cannot be read is skipped, never the whole form.
 */
export function readForm(root: Element): { fields: Fields; hints: string; visible: number } {
  const fields: Fields = {};
  const hints: string[] = [];
  let visible = 0;
  for (const el of controls(root)) {
    try {
      const name = String(el.name || el.id || '');
      const type = String(el.type || '');
      const value = String(el.value ?? '').trim();
      const label = labelOf(el);
      hints.push(name, label);
      if (!name || el.disabled || /password|hidden|submit|button|reset|file|image/.test(type) || SECRET.test(name) || SECRET.test(el.autocomplete || '')) continue;
      if ((type === 'checkbox' || type === 'radio') && !el.checked) continue;
      visible++;
      const token = String(el.autocomplete || '').split(/\s+/).pop() ?? '';
      const inner = /\[([^\]]+)\]$/.exec(name)?.[1] ?? name;
      const key =
        AUTOCOMPLETE[token] ??
        (type === 'email' ? 'email' : type === 'tel' ? 'phone' : NAMED.find(([, re]) => re.test(inner) || re.test(label))?.[0]);
      if (key && value && !fields[key]) fields[key] = value.slice(0, key === 'message' ? 2000 : 256);
    } catch {}
  }
  return { fields, hints: hints.join(' '), visible };
}

/** What a product page says its product is: WooCommerce markup, JSON-LD Product, Open Graph. */
export function pageProduct(): Record<string, string | number> | undefined {
  const d = document;
  const text = (sel: string) => d.querySelector(sel)?.textContent?.trim() || undefined;
  const meta = (p: string) => d.querySelector<HTMLMetaElement>(`meta[property="${p}"]`)?.content;
  for (const script of Array.from(d.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      const json = JSON.parse(script.textContent || 'null');
      const nodes = [json, ...(Array.isArray(json) ? json : json?.['@graph'] ?? [])];
      const p = nodes.find((n) => n && (n['@type'] === 'Product' || (Array.isArray(n['@type']) && n['@type'].includes('Product'))));
      if (p) return clean({ name: p.name, sku: p.sku, id: p.productID, url: p.url || location.href });
    } catch {}
  }
  const woo = d.body?.classList.contains('single-product');
  if (woo) {
    const id = d.querySelector<HTMLInputElement | HTMLButtonElement>('form.cart [name="add-to-cart"]')?.value;
    return clean({ name: text('.product_title'), sku: text('.sku'), id, url: location.href });
  }
  if (meta('og:type') === 'product') return clean({ name: meta('og:title'), url: meta('og:url') || location.href });
  return undefined;
}

function clean(o: Record<string, unknown>) {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(o)) if (v != null && v !== '') out[k] = typeof v === 'number' ? v : String(v).slice(0, 256);
  return out.name || out.id || out.sku ? out : undefined;
}

/**
 * The kind of form, from its fields and the page: a product, quantity, MOQ or price field, or
 * a message sent from a product page, makes an inquiry; a lone email or subscribe wording a
 * newsletter sign-up; an email with a message a contact. `data-moat-form` always wins.
 */
export function classify(root: Element, read: ReturnType<typeof readForm>, onProductPage: boolean): FormKind {
  const explicit = (root as HTMLElement).dataset?.moatForm as FormKind | undefined;
  if (explicit) return explicit;
  const { fields, hints, visible } = read;
  if (fields.product || fields.quantity || INQUIRY.test(hints)) return 'inquiry';
  if (NEWSLETTER.test(hints) || (fields.email && visible === 1)) return 'newsletter';
  if (fields.message && onProductPage) return 'inquiry';
  if (fields.email && (fields.message || fields.phone || fields.name)) return 'contact';
  return 'other';
}
