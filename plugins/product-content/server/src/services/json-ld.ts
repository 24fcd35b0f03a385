import type { FaqEntry } from './product-content';

/**
 * schema.org FAQPage for one product's FAQ. Google reads HTML in Answer.text (links, lists),
 * so the sanitized HTML is used. An FAQPage without questions is invalid, hence null.
 */
export function buildFaqJsonLd(faqs: FaqEntry[], locale: string, pageUrl?: string): Record<string, unknown> | null {
  if (faqs.length === 0) return null;
  return {
    '@context': 'https://schema.org',
    '@type': 'FAQPage',
    inLanguage: locale,
    ...(pageUrl ? { url: pageUrl } : {}),
    mainEntity: faqs.map((f) => ({
      '@type': 'Question',
      name: f.question,
      acceptedAnswer: { '@type': 'Answer', text: f.answerHtml },
    })),
  };
}
