import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * Content teams write answers in Markdown; storefronts get HTML. The HTML is sanitized on
 * the server with a small allow-list so that pasted <script>, inline handlers and
 * javascript: links never reach a buyer's browser (the widget sanitizes again).
 */
const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'u', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr'],
  allowedAttributes: { a: ['href', 'title', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
  },
};

export function markdownToSafeHtml(markdown: string): string {
  const html = marked.parse(markdown ?? '', { async: false, gfm: true, breaks: false }) as string;
  return sanitizeHtml(html, ALLOWED).trim();
}

/** Plain text of a Markdown answer (for JSON-LD consumers that prefer text, and previews). */
export function markdownToText(markdown: string): string {
  return sanitizeHtml(markdownToSafeHtml(markdown), { allowedTags: [], allowedAttributes: {} })
    .replace(/\s+/g, ' ')
    .trim();
}
