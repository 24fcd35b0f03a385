import { describe, expect, it } from 'vitest';
import { RenderEngine } from '../engine';

const render = (mjml: string, data: Record<string, unknown>, preheader?: string) =>
  new RenderEngine().render({ id: `t-${Math.random()}`, version: 1, subject: 'S', preheader, mjml }, data);

describe('the derived text part', () => {
  it('keeps a placeholder inside a heading resolvable (no upper-casing to {{FIRSTNAME}})', async () => {
    const out = await render('<mjml><mj-body><mj-section><mj-column><mj-text><h2>Hi {{FirstName}}</h2><p>Body</p></mj-text></mj-column></mj-section></mj-body></mjml>', { FirstName: 'Ada' });
    expect(out.text).toContain('Hi Ada');
    expect(out.html).toContain('Hi Ada');
  });

  it('does not start with the hidden <mj-preview> text', async () => {
    const out = await render('<mjml><mj-head><mj-preview>Only in the inbox list</mj-preview></mj-head><mj-body><mj-section><mj-column><mj-text>Visible</mj-text></mj-column></mj-section></mj-body></mjml>', {});
    expect(out.text).not.toContain('Only in the inbox list');
    expect(out.text.trim().startsWith('Visible')).toBe(true);
    const withPreheader = await render('<mjml><mj-body><mj-section><mj-column><mj-text>Visible</mj-text></mj-column></mj-section></mj-body></mjml>', {}, 'Preheader text');
    expect(withPreheader.text).not.toContain('Preheader text');
    expect(withPreheader.html).toContain('Preheader text');
  });
});
