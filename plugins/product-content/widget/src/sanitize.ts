/**
 * The server already sanitizes answers; the widget sanitizes again because it is embedded in
 * pages we do not control and may be pointed (api="...") at any server. Parsing happens in an
 * inert document (DOMParser runs no scripts and loads no images), then only allow-listed
 * elements and attributes are copied into the live DOM.
 */
const KEEP = new Set('P BR STRONG EM B I U S CODE PRE BLOCKQUOTE UL OL LI A H3 H4 H5 TABLE THEAD TBODY TR TH TD HR'.split(' '));
const DROP = new Set('SCRIPT STYLE IFRAME OBJECT EMBED TEMPLATE NOSCRIPT SVG MATH FORM INPUT BUTTON TEXTAREA SELECT LINK META'.split(' '));
const SAFE_HREF = /^(https?:|mailto:|tel:)/i;

function copy(from: Node, to: Node): void {
  from.childNodes.forEach((node) => {
    if (node.nodeType === 3) {
      to.appendChild(document.createTextNode(node.textContent ?? ''));
      return;
    }
    if (node.nodeType !== 1) return;
    const el = node as Element;
    if (DROP.has(el.tagName)) return;
    if (!KEEP.has(el.tagName)) {
      copy(el, to); // unknown wrapper: keep its text, lose the element
      return;
    }
    const clean = document.createElement(el.tagName);
    const href = el.getAttribute('href');
    if (el.tagName === 'A' && href && SAFE_HREF.test(href.trim())) {
      clean.setAttribute('href', href.trim());
      clean.setAttribute('rel', 'noopener noreferrer nofollow');
      clean.setAttribute('target', '_blank');
    }
    copy(el, clean);
    to.appendChild(clean);
  });
}

export function sanitizeInto(html: string, target: Node): void {
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  copy(parsed.body, target);
}
