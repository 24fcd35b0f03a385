/**
 * Chinese-first admin (issue 12), in real Chromium: an admin whose interface language is
 * 中文 (简体) opens every Moat screen — the Tracking page with the form rules editor, the
 * Lifecycle email page, the flow editor, an email template's edit view with the preview panel — and sees none of
 * Moat's English texts there; switching back to English in the profile page shows English again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, createSuperAdmin, loginAdmin } from '../helpers/admin';
import { artifactPath, launchChromium } from '../helpers/browser';
import { GALLERY_ROWS } from '../helpers/email-delivery';
import { APP_DIR, type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, newId } from '../helpers/tracking';

const SHOP = 'https://shop.example.com';
const TEMPLATE = 'plugin::lifecycle-email.email-template';

/** Moat's English admin texts (every en.json value), cut at placeholders and markup into the phrases a person would see */
const ENGLISH: string[] = [
  ...new Set(
    readdirSync(join(APP_DIR, 'plugins')).flatMap((plugin) => {
      let en: Record<string, string>;
      try {
        en = JSON.parse(readFileSync(join(APP_DIR, 'plugins', plugin, 'admin', 'src', 'translations', 'en.json'), 'utf8'));
      } catch {
        return [];
      }
      // English shown as the value itself (`follow-up`, `email`: kinds and sources named by their ids) is data, not Moat's wording
      return Object.entries(en)
        .filter(([key, text]) => text !== key.split('.').pop())
        .flatMap(([, text]) =>
          text
            .split(/\{[^}]*\}|<\/?\w+>/)
            .map((part) => part.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
            .filter((part) => /\p{L}/u.test(part)),
        );
    }),
  ),
];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** what a person sees in a container (rendered text, hidden parts left out) */
const visibleText = async (container: Locator) => (await container.allInnerTexts()).join('\n');

/**
 * the English phrases of Moat found in a container's visible text: as whole words (`page` in
 * `page_view` is not one), as written or upper-cased (Strapi's `sigma` headings are, by CSS); data such as
 * the device `desktop` is not Moat's wording
 */
async function moatEnglishIn(container: Locator): Promise<string[]> {
  // what the store owner typed (a template's name, marked data-moat-data) is theirs, in whatever language they chose
  const text = await container.evaluate((root: HTMLElement) => {
    const data = [...root.querySelectorAll<HTMLElement>('[data-moat-data]')];
    const before = data.map((el) => el.style.display);
    for (const el of data) el.style.display = 'none';
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is what a person sees (CSS upper-casing, hidden parts left out)
    const seen = root.innerText;
    data.forEach((el, i) => {
      el.style.display = before[i];
    });
    return seen;
  });
  const found = (phrase: string) => new RegExp(`(^|[^\\p{L}\\p{N}_-])${escapeRegExp(phrase)}($|[^\\p{L}\\p{N}_-])`, 'u').test(text);
  return ENGLISH.filter((phrase) => found(phrase) || found(phrase.toUpperCase()));
}

describe('an admin who works in 中文 (简体)', () => {
  let app: BootedStrapi;
  let browser: Browser;
  let admin: AdminCredentials;
  let page: Page;

  beforeAll(async () => {
    app = await bootStrapi({ admin: true, env: { MOAT_SITES: `main_shop=${SHOP}` } });
    admin = await createSuperAdmin(app.strapi);
    // the interface language an admin picks in their profile, as Strapi stores it
    const user = await app.strapi.db.query('admin::user').findOne({ where: { email: admin.email } });
    await app.strapi.service('admin::user').updateById(user.id, { preferedLanguage: 'zh-Hans' });
    const res = await app.request
      .post('/moat/collect')
      .set({ Origin: SHOP, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
      .send(JSON.stringify(batch('main_shop', newId(), [{ type: 'page_view', url: `${SHOP}/products/tray`, referrer: 'https://www.google.com/' }])));
    expect(res.status).toBe(202);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await loginAdmin(page, app.url, admin);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.destroy();
  });

  it('sees the Tracking page, the form rules editor and the menu in Chinese', async () => {
    await page.goto(`${app.url}/admin/plugins/tracking`);
    await page.getByRole('heading', { name: '最新触点' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('moat-touchpoint-row').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('strapi-admin-language'))).toBe('zh-Hans');
    expect(await page.getByRole('link', { name: '访客追踪' }).count()).toBeGreaterThan(0);
    expect(await page.getByRole('link', { name: '生命周期邮件' }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('moat-source-bar').allTextContents()).toEqual(['自然搜索1']);
    expect(await page.getByTestId('moat-type-bar').allTextContents()).toEqual(['页面浏览1']);
    expect(await page.getByTestId('moat-touchpoint-row').textContent()).toMatch(/页面浏览网站.*电脑 · 自然搜索匿名访客/);

    await page.getByRole('button', { name: '表单规则' }).click();
    const rules = page.getByTestId('moat-form-rules');
    await rules.getByRole('button', { name: '添加规则' }).click();
    await rules.getByLabel('规则 1 的类型').click();
    const kinds = await page.getByRole('option').allTextContents();
    expect(kinds).toEqual(['询盘（询价）', '联系表单', '邮件订阅', '其他', '不记录']);
    await page.keyboard.press('Escape');

    const main = page.locator('main');
    // headings in Strapi's `sigma` style are upper-cased by CSS
    expect((await visibleText(main)).toLowerCase()).toContain('main_shop 的表单规则');
    expect(await moatEnglishIn(main)).toEqual([]);
    await page.screenshot({ path: artifactPath('admin-zh-hans-tracking.png'), fullPage: true });
  });

  it('sees the Lifecycle email page in Chinese', async () => {
    await page.goto(`${app.url}/admin/plugins/lifecycle-email`);
    await expect.poll(() => page.getByTestId('moat-gallery-row').count(), { timeout: 30_000 }).toBe(GALLERY_ROWS);
    const main = page.locator('main');
    await main.getByText('发件箱').first().waitFor();
    const text = await visibleText(main);
    for (const zh of ['生命周期邮件', '邮件模板', '类型', '语言', '欢迎邮件', '询盘跟进']) expect(text).toContain(zh);
    expect(await moatEnglishIn(main)).toEqual([]);
    await page.screenshot({ path: artifactPath('admin-zh-hans-lifecycle-email.png'), fullPage: true });
  });

  it('sees the flow editor in Chinese', async () => {
    const flow = await app.strapi.db.connection('moat_flows').where({ key: 'inquiry-nurture' }).first('id');
    await page.goto(`${app.url}/admin/plugins/lifecycle-email/flows/${flow.id}`);
    await page.getByRole('heading', { name: '流程编辑器' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('moat-flow-editor-step').count(), { timeout: 30_000 }).toBe(7);
    const main = page.locator('main');
    const text = await visibleText(main);
    for (const zh of ['触发条件', '步骤', '等到收件人时区的某个时刻', '发送模板', '目标（达成即提前结束）', '重复进入', '参与记录', '保存']) expect(text).toContain(zh);
    expect(await moatEnglishIn(main)).toEqual([]);
    await page.screenshot({ path: artifactPath('admin-zh-hans-flow-editor.png'), fullPage: true });
  });

  it("edits a Chinese email template with the preview panel and the Content Manager's labels in Chinese", async () => {
    const [welcome] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { kind: 'welcome' }, locale: 'zh-Hans' })) as any[];
    await page.goto(`${app.url}/admin/content-manager/collection-types/${TEMPLATE}/${welcome.documentId}?plugins[i18n][locale]=zh-Hans`);
    const panel = page.getByTestId('moat-preview-panel');
    await panel.getByTestId('moat-preview-subject').waitFor({ timeout: 30_000 });
    await page.getByText('邮件预览', { exact: true }).first().waitFor();
    expect(await panel.getByTestId('moat-preview-subject').textContent()).toMatch(/^主题：/);
    for (const button of ['电脑端', '手机端', '发送测试邮件（已保存的版本）']) expect(await panel.getByRole('button', { name: button }).count()).toBe(1);
    const labels = (await page.locator('label').allInnerTexts()).join(' | ');
    for (const label of ['邮件主题', 'MJML 源码', '示例数据']) expect(labels).toContain(label);
    expect(await moatEnglishIn(panel)).toEqual([]);
    await page.screenshot({ path: artifactPath('admin-zh-hans-email-template.png'), fullPage: true });

    // the Content Manager's menu names Moat's content types in Chinese
    await page.goto(`${app.url}/admin/content-manager`);
    for (const name of ['邮件模板', '邮件片段', '客户', '常见问题（FAQ）', '产品卖点']) await page.getByRole('link', { name }).first().waitFor({ timeout: 30_000 });
  });

  it('switches back to English in the profile page and sees English', async () => {
    await page.goto(`${app.url}/admin/me`);
    await page.getByRole('combobox', { name: '界面语言' }).click({ timeout: 30_000 });
    await page.getByRole('option', { name: 'English' }).click();
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => page.evaluate(() => localStorage.getItem('strapi-admin-language')), { timeout: 30_000 }).toBe('en');

    await page.goto(`${app.url}/admin/plugins/tracking`);
    await page.getByRole('heading', { name: 'Latest touchpoints' }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Form rules' }).click();
    const main = page.locator('main');
    await main.getByRole('button', { name: 'Add a rule' }).waitFor();
    expect(await moatEnglishIn(main)).toEqual(expect.arrayContaining(['Latest touchpoints', 'Save rules', 'Add a rule', 'organic search']));
    expect(await visibleText(main)).not.toMatch(/最新触点|表单规则/);
    await page.screenshot({ path: artifactPath('admin-en-tracking.png'), fullPage: true });
  });
});
