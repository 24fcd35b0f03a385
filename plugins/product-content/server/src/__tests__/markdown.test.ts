import { describe, expect, it } from 'vitest';
import { markdownToSafeHtml, markdownToText } from '../services/markdown';

describe('markdownToSafeHtml', () => {
  it('renders Markdown formatting, lists and links', () => {
    expect(markdownToSafeHtml('**MOQ** is 100\n\n- CE\n- RoHS')).toBe('<p><strong>MOQ</strong> is 100</p>\n<ul>\n<li>CE</li>\n<li>RoHS</li>\n</ul>');
    expect(markdownToSafeHtml('[spec](https://example.com/spec.pdf)')).toBe(
      '<p><a href="https://example.com/spec.pdf" rel="noopener noreferrer nofollow">spec</a></p>',
    );
  });

  it('strips scripts, event handlers, iframes and javascript: links', () => {
    const html = markdownToSafeHtml('<script>alert(1)</script><iframe src="https://x"></iframe><b onmouseover="x()">hi</b> [x](javascript:alert(1)) <img src=x onerror=alert(1)>');
    expect(html).not.toMatch(/<script|<iframe|onmouseover|onerror|href="javascript:|<img/i);
    expect(html).toContain('<b>hi</b>');
  });

  it('derives plain text', () => {
    expect(markdownToText('Yes, **1,000** cycles.\n\nTested.')).toBe('Yes, 1,000 cycles. Tested.');
  });
});
