import { describe, expect, it } from 'vitest';
import { TemplateRejectedError } from '../errors';
import { blockDepth, checkTemplate, countExpressions, DEFAULT_LIMITS, tagDepth } from '../limits';

const body = (inner: string) => `<mjml><mj-body><mj-section><mj-column><mj-text>${inner}</mj-text></mj-column></mj-section></mj-body></mjml>`;
const reject = (f: () => unknown): TemplateRejectedError => {
  try {
    f();
  } catch (error) {
    if (error instanceof TemplateRejectedError) return error;
    throw error;
  }
  throw new Error('not rejected');
};

describe('template limits (checked before compiling)', () => {
  it('counts expressions, block depth and element depth the way Handlebars and HTML nest', () => {
    expect(countExpressions('a {{b}} {{{c}}} {{#if d}}e{{/if}}')).toBe(4);
    expect(blockDepth('{{#if a}}{{#each b}}{{^}}{{/each}}{{else}}{{#with c}}{{/with}}{{/if}}')).toBe(2);
    expect(blockDepth('{{~#if a~}}{{~^if b}}x{{/if}}{{/if}}')).toBe(2);
    expect(tagDepth('<a><b><br><img src="x"><c/></b></a>')).toBe(2);
    // unclosed <p> siblings and a stray closing tag do not add depth; comments are skipped
    expect(tagDepth('<mj-text><p>a<p>b<p>c</mj-text></x><!-- <div><div><div> -->')).toBe(2);
    expect(tagDepth('<div>'.repeat(5_000), 100)).toBe(101);
    // text "<" is not a tag; attributes, self-closing and case are
    expect(tagDepth('1 < 2 and <b>x</b> <a <i>y</i>')).toBe(1);
    expect(tagDepth('<DIV class="a/b"><span/><div data-x=">"></DIV>')).toBe(2);
    expect(tagDepth('<a '.repeat(1_000))).toBe(0);
  });

  it('accepts every default-sized template and returns the compiler input with partials in', () => {
    const input = checkTemplate({ subject: 'Hi {{name}}', preheader: 'p', mjml: body('{{> footer}}'), partials: { footer: '<p>F</p>' } }, DEFAULT_LIMITS);
    expect(input.source).toContain('<p>F</p>');
    expect(input.source).toContain('<mj-preview>p</mj-preview>');
  });

  it('refuses each limit with a message naming it', () => {
    expect(reject(() => checkTemplate({ subject: 's', mjml: body('x'.repeat(200_000)) }, DEFAULT_LIMITS)).message).toMatch(/too large: 200 KB with partials \(limit 150 KB\)/);
    // a partial included many times counts each time, before anything is expanded
    const many = reject(() => checkTemplate({ subject: 's', mjml: body('{{> f}}'.repeat(1_000)), partials: { f: 'y'.repeat(1_000) } }, DEFAULT_LIMITS));
    expect(many.reason).toBe('size');
    expect(reject(() => checkTemplate({ subject: 's', mjml: body('{{v}}'.repeat(1_001)) }, DEFAULT_LIMITS)).message).toBe('Too many Handlebars expressions: 1001 (limit 1000)');
    expect(reject(() => checkTemplate({ subject: 's', mjml: body('{{v}}'), text: '{{v}}'.repeat(1_000) }, DEFAULT_LIMITS)).reason).toBe('expressions');
    expect(reject(() => checkTemplate({ subject: `${'{{#if a}}'.repeat(21)}${'{{/if}}'.repeat(21)}`, mjml: body('') }, DEFAULT_LIMITS)).message).toMatch(/blocks nested too deeply: 21 levels \(limit 20\)/);
    expect(reject(() => checkTemplate({ subject: 's', mjml: body('<div>'.repeat(150)) }, DEFAULT_LIMITS)).message).toMatch(/Elements nested too deeply: more than 100 levels/);
  });

  it('refuses documents that are not one <mjml> with a body, saying what is wrong', () => {
    const cases: Record<string, RegExp> = {
      '<mjml></mjml>': /<mj-body> is missing/,
      '<mjml>': /closing <\/mjml> is missing/,
      'plain text': /must start with <mjml> \(found "plain text"\)/,
      '<!-- x -->': /must start with <mjml> \(found "nothing"\)/,
      '<mjml><mj-head></mj-head></mjml>': /<mj-body> is missing/,
      '<mjml><mj-body></mj-body></mjml> tail': /text after <\/mjml>: "tail"/,
      '<mjmlx><mj-body></mj-body></mjmlx>': /must start with <mjml>/,
    };
    for (const [mjml, message] of Object.entries(cases)) {
      const error = reject(() => checkTemplate({ subject: 's', mjml }, DEFAULT_LIMITS));
      expect(error.reason, mjml).toBe('malformed');
      expect(error.message, mjml).toMatch(message);
    }
    // comments and an XML declaration around the document are fine
    expect(() => checkTemplate({ subject: 's', mjml: '<?xml version="1.0"?>\n<!-- a --><mjml><mj-body></mj-body></mjml>\n<!-- b -->\n' }, DEFAULT_LIMITS)).not.toThrow();
  });
});
