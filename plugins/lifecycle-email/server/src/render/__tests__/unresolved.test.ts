import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RenderEngine, type TemplateVersion } from '../engine';
import { UnresolvedVariableError } from '../errors';
import { describeForeign, findForeignPlaceholders } from '../foreign';

const MJML = `<mjml>
<mj-body>
<mj-section><mj-column>
<mj-text>Hi {{customer.firstName}},</mj-text>
<mj-text>Your order {{order.number}} ships with {{shipment.carrier}}.</mj-text>
<mj-text>{{#each order.items}}{{title}} x{{qty}} {{/each}}</mj-text>
<mj-button href="{{links.track}}">Track</mj-button>
<mj-text>Again: {{order.number}}</mj-text>
</mj-column></mj-section>
{{> footer}}
</mj-body>
</mjml>`;

const template = (over: Partial<TemplateVersion> = {}): TemplateVersion => ({
  id: `u-${randomUUID()}`,
  version: 1,
  subject: 'Order {{order.number}} for {{customer.lastName}}',
  mjml: MJML,
  partials: { footer: '<mj-section><mj-column>\n<mj-text>{{shop.name}}</mj-text>\n</mj-column></mj-section>' },
  ...over,
});

const fail = (t: TemplateVersion, data: Record<string, unknown>) => new RenderEngine().render(t, data).then(
  () => {
    throw new Error('rendered');
  },
  (e) => e as UnresolvedVariableError,
);

describe('unresolved variables', () => {
  it('reports every one, by name, with the MJML source line (not the compiled HTML line)', async () => {
    const error = await fail(template(), { order: { items: [{ title: 'Lamp' }] }, customer: {} });
    expect(error).toBeInstanceOf(UnresolvedVariableError);
    const byName = Object.fromEntries(error.variables.map((v) => [`${v.part}:${v.name}`, v]));
    expect(byName['subject:order.number']).toMatchObject({ lines: [1] });
    expect(byName['subject:customer.lastName']).toBeDefined();
    expect(byName['mjml:customer.firstName'].lines).toEqual([4]);
    // written twice: both lines
    expect(byName['mjml:order.number'].lines).toEqual([5, 8]);
    expect(byName['mjml:shipment.carrier'].lines).toEqual([5]);
    expect(byName['mjml:qty'].lines).toEqual([6]);
    expect(byName['mjml:links.track'].lines).toEqual([7]);
    expect(byName['mjml:shop.name']).toMatchObject({ partial: 'footer', lines: [2] });
    // title is there, customer.firstName's parent is there: nothing else is reported
    expect(error.variables).toHaveLength(8);
    expect(error.message).toContain('customer.firstName (MJML line 4)');
    expect(error.message).toContain('order.number (MJML lines 5, 8)');
    expect(error.message).toContain('shop.name (partial footer, line 2)');
  });

  it('names a variable missing under a missing parent by its whole path', async () => {
    const error = await fail(template({ subject: 'x', partials: { footer: '' } }), { order: { number: 1, items: [] }, shipment: { carrier: 'DHL' }, links: { track: 't' } });
    expect(error.variables.map((v) => v.name)).toEqual(['customer.firstName']);
    expect(error.part).toBe('html');
  });

  it('places preheader and hand-written text placeholders in their own parts', async () => {
    const data = { order: { number: 1, items: [] }, shipment: { carrier: 'DHL' }, links: { track: 't' }, customer: { firstName: 'A', lastName: 'B' }, shop: { name: 'S' } };
    const error = await fail(template({ preheader: 'For {{vip.level}}', text: 'line one\nHi {{customer.nick}}\n' }), data);
    expect(error.variables).toEqual([
      { name: 'vip.level', part: 'preheader', lines: [1] },
      { name: 'customer.nick', part: 'text', lines: [2] },
    ]);
  });

  it('crosses the worker boundary with every variable (protocol)', async () => {
    const { serializeError, deserializeError } = await import('../protocol');
    const error = await fail(template(), {});
    const back = deserializeError(serializeError(error)) as UnresolvedVariableError;
    expect(back).toBeInstanceOf(UnresolvedVariableError);
    expect(back.variables).toEqual(error.variables);
    expect(back.message).toBe(error.message);
  });
});

describe('foreign placeholders', () => {
  it('finds Mailjet, Mailchimp and Salesforce placeholders with their part and line', () => {
    const found = findForeignPlaceholders({
      subject: 'Hi *|FNAME|*',
      preheader: 'Read [[PERMALINK]]',
      mjml: '<mjml>\n<mj-body>\n<mj-text>%%first_name%% and [[ UNSUB_LINK_EN ]]</mj-text>\n<mj-text>{{customer.firstName}} [not] [[ x y ]]</mj-text></mj-body></mjml>',
      text: null,
    });
    expect(found).toEqual([
      { text: '*|FNAME|*', tool: 'Mailchimp', part: 'subject', line: 1 },
      { text: '[[PERMALINK]]', tool: 'Mailjet', part: 'preheader', line: 1 },
      { text: '[[ UNSUB_LINK_EN ]]', tool: 'Mailjet', part: 'mjml', line: 3 },
      { text: '%%first_name%%', tool: 'Salesforce', part: 'mjml', line: 3 },
    ]);
    expect(describeForeign(found[2])).toMatch(/\[\[ UNSUB_LINK_EN \]\] \(Mailjet style\) on MJML line 3 is not replaced/);
  });

  it('finds none in a Handlebars-only template, and caps a flood', () => {
    expect(findForeignPlaceholders({ subject: '{{a}}', mjml: '<mjml><mj-body>50% off, 100%% sure [link](x) *bold*</mj-body></mjml>' })).toEqual([]);
    expect(findForeignPlaceholders({ subject: '', mjml: '[[A]]\n'.repeat(10_000) })).toHaveLength(50);
  });
});
