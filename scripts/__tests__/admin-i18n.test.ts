import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CM_PREFIX, type ContentTypeInfo, checkParity, checkRepo, checkSource } from '../admin-i18n';

const ROOT = join(__dirname, '..', '..');
const messages = (findings: Array<{ message: string }>) => findings.map((f) => f.message);

describe("Moat's admin translations", () => {
  it('has the same keys in en and zh-Hans for every plugin, and no untranslated text in the admin code', () => {
    expect(checkRepo(ROOT)).toEqual([]);
  });
});

describe('key parity', () => {
  const faq: ContentTypeInfo = { uid: 'plugin::x.faq', displayName: 'FAQ item', attributes: ['question'] };

  it('passes matching files', () => {
    expect(checkParity('x', { en: { 'x.a': 'A' }, 'zh-Hans': { 'x.a': '甲' } }, [])).toEqual([]);
  });

  it('fails a key in one language and not the other, both ways', () => {
    expect(messages(checkParity('x', { en: { 'x.a': 'A', 'x.b': 'B' }, 'zh-Hans': { 'x.a': '甲' } }, []))).toEqual(['zh-Hans: missing "x.b" (in en)']);
    expect(messages(checkParity('x', { en: { 'x.a': 'A' }, 'zh-Hans': { 'x.a': '甲', 'x.c': '丙' } }, []))).toEqual(['zh-Hans: "x.c" is not in en']);
  });

  it('fails a key without the plugin id and an empty text', () => {
    expect(messages(checkParity('x', { en: { menu: 'A', 'x.e': ' ' }, 'zh-Hans': { menu: '甲', 'x.e': '空' } }, []))).toEqual(
      expect.arrayContaining(['en: "menu" does not start with "x."', 'en: "x.e" has no text', 'zh-Hans: "menu" does not start with "x."']),
    );
  });

  it("wants every content type's name and field labels in Chinese, and none of them in English", () => {
    const zh = { 'FAQ item': '常见问题', [`${CM_PREFIX}plugin::x.faq.question`]: '问题' };
    expect(checkParity('x', { en: {}, 'zh-Hans': zh }, [faq])).toEqual([]);
    expect(messages(checkParity('x', { en: {}, 'zh-Hans': { 'FAQ item': '常见问题' } }, [faq]))).toEqual([`zh-Hans: missing "${CM_PREFIX}plugin::x.faq.question"`]);
    expect(messages(checkParity('x', { en: { 'FAQ item': 'FAQ item' }, 'zh-Hans': zh }, [faq]))[0]).toMatch(/en: "FAQ item" would hide the labels/);
    expect(messages(checkParity('x', { en: {}, 'zh-Hans': { ...zh, [`${CM_PREFIX}plugin::y.z.a`]: '别的' } }, [faq]))[0]).toMatch(/names no content type of x/);
  });
});

describe('no user-visible string literals in admin code', () => {
  const check = (code: string, en?: Record<string, string>) => messages(checkSource('Bad.tsx', code, en));

  it('fails JSX text with letters, and passes punctuation and expressions', () => {
    expect(check('const A = () => <Button onClick={go}>Save rules</Button>;')).toEqual(['JSX text "Save rules" is not translated (use formatMessage)']);
    expect(check('const A = () => <Typography>{count} · {formatMessage({ id: "x.a", defaultMessage: "A" })}</Typography>;')).toEqual([]);
    expect(check('const A = () => <p>保存</p>;')).toHaveLength(1);
  });

  it('fails string literals in user-visible props and JSX children, through ternaries and templates', () => {
    expect(check('const A = () => <TextInput aria-label="Site key" placeholder="main_shop" />;')).toEqual(['prop aria-label: "Site key" is not translated (use formatMessage)']);
    expect(check('const A = () => <TextInput label={ok ? "Yes" : "No"} />;')).toHaveLength(2);
    expect(check('const A = () => <iframe title={`Rule $' + '{n}`} />;')).toEqual(['prop title: "Rule" is not translated (use formatMessage)']);
    expect(check('const A = () => <b>{done ? "Copied" : "Copy"}</b>;')).toHaveLength(2);
    expect(check('const A = () => <Box data-testid="moat-site" style={{ overflowX: "auto" }} />;')).toEqual([]);
    expect(check('const A = () => <Textarea placeholder={"https://shop.example.com\\nhttps://*.example.com"} />;')).toEqual([]);
    expect(check('const A = () => <TextInput placeholder="you@example.com" />;')).toEqual([]);
  });

  it('fails visible object properties, lists of labels and text put into state', () => {
    expect(check("const p = () => ({ title: 'Email preview', content: null });")).toEqual(['property title: "Email preview" is not translated (use formatMessage)']);
    expect(check("toggleNotification({ type: 'success', message: 'Saved' });")).toEqual(['property message: "Saved" is not translated (use formatMessage)']);
    expect(check("const KINDS = [['inquiry', 'Inquiry (RFQ)']];")).toEqual(['list: "Inquiry (RFQ)" is not translated (use formatMessage)']);
    expect(check("setStatus('Sending…');")).toEqual(['state: "Sending…" is not translated (use formatMessage)']);
    expect(check("setWidth('desktop'); const W = ['desktop', 'mobile'];")).toEqual([]);
  });

  it('allows defaultMessage only in a message descriptor whose id is in en.json with the same text', () => {
    const en = { 'x.save': 'Save' };
    expect(check("formatMessage({ id: 'x.save', defaultMessage: 'Save' });", en)).toEqual([]);
    expect(check("app.addMenuLink({ intlLabel: { id: 'x.save', defaultMessage: 'Save' } });", en)).toEqual([]);
    expect(check("const m = { defaultMessage: 'Save' };", en)).toEqual(['defaultMessage outside a message descriptor ({ id, defaultMessage })']);
    expect(check("formatMessage({ id: 'x.nope', defaultMessage: 'Nope' });", en)).toEqual(['message id "x.nope" is not in en.json']);
    expect(check("formatMessage({ id: 'x.save', defaultMessage: 'Store' });", en)).toEqual(['defaultMessage of "x.save" differs from en.json ("Save")']);
  });
});
