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

describe('placeholders in the derived text part are kept whole', () => {
  it('resolves helpers and string literals inside headings and table header cells', async () => {
    const mjml = `<mjml><mj-body><mj-section><mj-column>
<mj-text><h1>{{fallback customer.firstName "dear customer"}}</h1><h3>Order {{order.number}}</h3></mj-text>
<mj-table><tr><th>{{labels.item}}</th></tr><tr><td>{{order.item}}</td></tr></mj-table>
</mj-column></mj-section></mj-body></mjml>`;
    const out = await render(mjml, { customer: {}, order: { number: 'A-7', item: 'Lamp' }, labels: { item: 'Item' } });
    expect(out.text).toContain('dear customer');
    expect(out.text).toContain('Order A-7');
    expect(out.text).toContain('Item');
    expect(out.text).toContain('Lamp');
    const named = await render(mjml, { customer: { firstName: 'Ada' }, order: { number: 'A-7', item: 'Lamp' }, labels: { item: 'Item' } });
    expect(named.text.trim().startsWith('Ada')).toBe(true);
  });

  it('does not break a long placeholder across lines when wrapping', async () => {
    const long = `${'word '.repeat(14)}{{fallback customer.nickname "a very dear and valued customer"}} end`;
    const out = await render(`<mjml><mj-body><mj-section><mj-column><mj-text>${long}</mj-text></mj-column></mj-section></mj-body></mjml>`, { customer: {} });
    expect(out.text).toContain('a very dear and valued customer end');
  });
});
