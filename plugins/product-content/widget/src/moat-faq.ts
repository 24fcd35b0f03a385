/**
 * <moat-faq product="KEY" locale="de" [api="https://moat.example.com"] [heading="..."]>
 *
 * Renders a product's published FAQ from Moat's public API as an accessible accordion
 * (details/summary: keyboard and screen readers work natively) in a shadow root, and puts
 * the FAQPage JSON-LD in the light DOM where search engines read it. No framework; any
 * failure leaves the element hidden and fires `moat-faq:error` instead of breaking the page.
 */
import { sanitizeInto } from './sanitize';
import { STYLES } from './styles';

interface Faq {
  id: string;
  question: string;
  answerHtml: string;
}
interface Payload {
  locale: string;
  faqs: Faq[];
  jsonLd: unknown;
}

const HEADINGS: Record<string, string> = {
  en: 'Frequently asked questions',
  de: 'Häufig gestellte Fragen',
  es: 'Preguntas frecuentes',
  fr: 'Questions fréquentes',
  ja: 'よくある質問',
  'zh-Hans': '常见问题',
};

// Resolved while the script itself executes: the default API is where the script came from.
const SCRIPT_ORIGIN = (() => {
  try {
    return new URL((document.currentScript as HTMLScriptElement).src).origin;
  } catch {
    return location.origin;
  }
})();

let counter = 0;

class MoatFaq extends HTMLElement {
  static observedAttributes = ['product', 'locale', 'api', 'heading'];
  private request = 0;
  private scheduled = false;

  connectedCallback(): void {
    this.schedule();
  }

  attributeChangedCallback(): void {
    if (this.isConnected) this.schedule();
  }

  /** An upgrade fires attributeChanged for every attribute, then connected: fetch once. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      void this.load();
    });
  }

  private async load(): Promise<void> {
    const product = this.getAttribute('product');
    if (!product) return;
    const ticket = ++this.request;
    const api = (this.getAttribute('api') || SCRIPT_ORIGIN).replace(/\/+$/, '');
    const locale = this.getAttribute('locale');
    const url = `${api}/api/product-content/products/${encodeURIComponent(product)}${locale ? `?locale=${encodeURIComponent(locale)}` : ''}`;
    try {
      const res = await fetch(url, { credentials: 'omit', headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`Moat FAQ: ${res.status} for ${url}`);
      const data = (await res.json()) as Payload;
      if (ticket === this.request) this.render(data);
    } catch (error) {
      if (ticket !== this.request) return;
      this.hidden = true;
      this.dispatchEvent(new CustomEvent('moat-faq:error', { detail: { error }, bubbles: true }));
    }
  }

  private render(data: Payload): void {
    const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
    root.replaceChildren();
    this.querySelector('script[data-moat-faq]')?.remove();
    this.hidden = data.faqs.length === 0;
    if (this.hidden) return;

    const style = document.createElement('style');
    style.textContent = STYLES;
    const section = document.createElement('section');
    section.setAttribute('part', 'root');
    const headingId = `moat-faq-h${++counter}`;
    section.setAttribute('aria-labelledby', headingId);
    const h2 = document.createElement('h2');
    h2.id = headingId;
    h2.setAttribute('part', 'heading');
    h2.textContent = this.getAttribute('heading') || HEADINGS[data.locale] || HEADINGS.en;
    section.append(h2);

    for (const faq of data.faqs) {
      const details = document.createElement('details');
      details.setAttribute('part', 'item');
      const summary = document.createElement('summary');
      summary.setAttribute('part', 'question');
      const h3 = document.createElement('h3');
      h3.textContent = faq.question; // text, never markup
      summary.append(h3);
      const answer = document.createElement('div');
      answer.className = 'a';
      answer.setAttribute('part', 'answer');
      sanitizeInto(faq.answerHtml, answer);
      details.append(summary, answer);
      section.append(details);
    }
    root.append(style, section);

    if (data.jsonLd) {
      const ld = document.createElement('script');
      ld.type = 'application/ld+json';
      ld.dataset.moatFaq = '';
      // textContent is not parsed as HTML, so "</script>" inside an answer cannot end this element
      ld.textContent = JSON.stringify(data.jsonLd);
      this.append(ld);
    }
    this.dispatchEvent(new CustomEvent('moat-faq:loaded', { detail: { count: data.faqs.length }, bubbles: true }));
  }
}

if (!customElements.get('moat-faq')) customElements.define('moat-faq', MoatFaq);
