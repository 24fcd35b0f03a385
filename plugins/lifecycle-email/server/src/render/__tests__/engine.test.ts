import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RenderEngine, type TemplateVersion, applyPreheader } from '../engine';
import { MjmlValidationError, TemplateRejectedError, UnresolvedVariableError } from '../errors';

const template = (over: Partial<TemplateVersion> = {}): TemplateVersion => ({
  id: `welcome-${randomUUID()}`,
  version: 1,
  subject: 'Welcome, {{fallback customer.firstName "there"}}!',
  mjml: `<mjml><mj-body><mj-section><mj-column>
  <mj-text>Hello {{customer.firstName}}, your order total is {{money order.total order.currency locale}}.</mj-text>
  <mj-button href="{{links.shop}}">Visit the shop</mj-button>
  <mj-text><a href="{{links.unsubscribe}}">Unsubscribe</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`,
  ...over,
});

const data = {
  customer: { firstName: 'Ada' },
  order: { total: 1234.5, currency: 'EUR' },
  locale: 'de-DE',
  links: { shop: 'https://shop.example/?utm_source=email', unsubscribe: 'https://moat.example/u/abc' },
};

describe('RenderEngine', () => {
  it('renders subject, HTML and text with placeholders surviving MJML (also in href attributes)', async () => {
    const out = await new RenderEngine().render(template(), data);
    expect(out.subject).toBe('Welcome, Ada!');
    expect(out.html).toMatch(/Hello Ada, your order total is 1\.234,50\s€\./);
    // Handlebars escapes "=" in attribute values as &#x3D;, which browsers decode back
    expect(out.html).toMatch(/href="https:\/\/shop\.example\/\?utm_source(=|&#x3D;)email"/);
    expect(out.html).toContain('href="https://moat.example/u/abc"');
    expect(out.text).toMatch(/Hello Ada, your order total is 1\.234,50\s€\./);
    expect(out.text).toContain('https://moat.example/u/abc');
  });

  it('compiles MJML once per version across 1,000 renders, and again after an edit', async () => {
    const engine = new RenderEngine();
    const t = template();
    for (let i = 0; i < 1000; i++) await engine.render(t, { ...data, customer: { firstName: `R${i}` } });
    expect(engine.mjmlCompiles).toBe(1);
    const edited = { ...t, version: 2, subject: 'Edited {{customer.firstName}}' };
    expect((await engine.render(edited, data)).subject).toBe('Edited Ada');
    expect(engine.mjmlCompiles).toBe(2);
  });

  it('escapes HTML and script held in variables', async () => {
    const out = await new RenderEngine().render(template(), { ...data, customer: { firstName: '<script>alert(1)</script>' } });
    expect(out.html).not.toContain('<script>alert(1)</script>');
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('reports an unresolved variable instead of rendering it blank', async () => {
    await expect(new RenderEngine().render(template(), { ...data, customer: {} })).rejects.toThrow(UnresolvedVariableError);
    await expect(new RenderEngine().render(template(), { ...data, customer: {} })).rejects.toThrow(/firstName/);
  });

  it('refuses invalid MJML with line numbers', async () => {
    const bad = template({ mjml: '<mjml><mj-body>\n<mj-section>\n<mj-column>\n<mj-text foo="bar">x</mj-text>\n<mj-unknown/>\n</mj-column></mj-section></mj-body></mjml>' });
    const error = await new RenderEngine().render(bad, data).catch((e) => e);
    expect(error).toBeInstanceOf(MjmlValidationError);
    expect(error.issues.map((i: { line: number }) => i.line)).toContain(4);
  });

  it('gives templates no prototype access', async () => {
    const hostile = template({ subject: '{{constructor.name}}{{__proto__}}' });
    const out = await new RenderEngine().render(hostile, data).catch((e) => e);
    // either refused (strict) or blank, never "Object" or a function source
    if (out instanceof Error) expect(out).toBeInstanceOf(UnresolvedVariableError);
    else expect(out.subject).not.toMatch(/Object|function/);
  });

  it('puts the preheader into the inbox preview text, escaped, replacing an existing one', async () => {
    const out = await new RenderEngine().render(template({ preheader: 'Hi {{customer.firstName}} <3 & more' }), data);
    expect(out.html).toMatch(/Hi Ada &lt;3 &amp;(amp;)? more/);
    expect(applyPreheader('<mjml><mj-head><mj-preview>old</mj-preview></mj-head></mjml>', 'new')).toBe('<mjml><mj-head><mj-preview>new</mj-preview></mj-head></mjml>');
    expect(applyPreheader('<mjml lang="en"><mj-body></mj-body></mjml>', 'p')).toBe('<mjml lang="en"><mj-head><mj-preview>p</mj-preview></mj-head><mj-body></mj-body></mjml>');
  });

  it('renders the three parts in one call, each with its own escaping and whitespace, as separate templates would', async () => {
    const text = 'Items:\n{{#each order.items}}\n- {{this.title}} x{{this.quantity}}\n{{/each}}\nThanks, {{customer.firstName}}\n';
    const t = template({ subject: 'Hi {{customer.firstName}}, {{#if order.total}}total {{order.total}}{{/if}}', text });
    const values = { ...data, customer: { firstName: 'Ada & <Co>' }, order: { ...data.order, items: [{ title: 'Tray', quantity: 2 }, { title: 'Lid', quantity: 1 }] } };
    const out = await new RenderEngine().render(t, values);
    expect(out.subject).toBe('Hi Ada & <Co>, total 1234.5');
    expect(out.text).toBe('Items:\n- Tray x2\n- Lid x1\nThanks, Ada & <Co>\n');
    expect(out.html).toContain('Hello Ada &amp; &lt;Co&gt;,');
    expect(out.html).not.toContain('Ada & <Co>');
  });

  it('names the part that holds an unresolved variable', async () => {
    const inText = await new RenderEngine().render(template({ text: 'Bye {{customer.lastName}}' }), data).catch((e) => e);
    expect(inText).toBeInstanceOf(UnresolvedVariableError);
    expect(inText.part).toBe('text');
    expect(inText.message).toMatch(/lastName/);
    const inSubject = await new RenderEngine().render(template({ subject: '{{order.number}}' }), data).catch((e) => e);
    expect(inSubject.part).toBe('subject');
  });

  it('gives templates no way to call the parts it renders together', async () => {
    for (const name of ['html', 'subject', 'text']) {
      const out = await new RenderEngine().render(template({ subject: `x{{> ${name}}}` }), data).catch((e) => e);
      expect(out).toBeInstanceOf(Error);
      expect(String(out.message)).toMatch(/partial/i);
    }
  });
});


describe('RenderEngine limits, helpers and malformed input', () => {
  it('refuses the Handlebars log helper and unknown helpers at compile time, not with output', async () => {
    for (const subject of ['{{log "x"}}', '{{#if (log "x")}}y{{/if}}', '{{nope a}}']) {
      const error = await new RenderEngine().render(template({ subject }), data).catch((e) => e);
      expect(error, subject).toBeInstanceOf(TemplateRejectedError);
      expect(error.message).toMatch(/helper "(log|nope)" is not available/);
    }
  });

  it('keeps lookup away from prototypes', async () => {
    const out = await new RenderEngine().render(template({ subject: '[{{lookup customer "constructor"}}][{{lookup this "__proto__"}}][{{lookup customer "firstName"}}]' }), data).catch((e) => e);
    if (out instanceof Error) expect(out).toBeInstanceOf(UnresolvedVariableError);
    else expect(out.subject).toBe('[][][Ada]');
  });

  it('turns a Handlebars syntax error and MJML parse failures into TemplateRejectedError', async () => {
    const syntax = await new RenderEngine().render(template({ subject: '{{#if a}}' }), data).catch((e) => e);
    expect(syntax).toBeInstanceOf(TemplateRejectedError);
    expect(syntax.message).toMatch(/syntax error in subject/);
    const after = await new RenderEngine().render(template({ mjml: '<mjml><mj-body></mj-body></mjml> tail' }), data).catch((e) => e);
    expect(after).toBeInstanceOf(TemplateRejectedError);
  });

  it('keeps at most maxCached compiled versions', async () => {
    const engine = new RenderEngine({ maxCached: 3 });
    for (let i = 0; i < 10; i++) await engine.render(template(), data);
    expect(engine.cacheStats).toEqual({ size: 3, max: 3 });
  });
});
