import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, launchChromium } from '../helpers/browser';
import { createLocalizedDocument, ensureLocale, uniqueKey } from '../helpers/content';
import { type StaticServer, serveStatic } from '../helpers/static-server';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const FAQ = 'plugin::product-content.faq-item';

describe('<moat-faq> on a plain HTML page of another origin (WordPress-like)', () => {
  let app: BootedStrapi;
  let site: StaticServer;
  let browser: Browser;
  const key = uniqueKey('mug');

  beforeAll(async () => {
    app = await bootStrapi();
    await ensureLocale(app.strapi, 'de', 'German (de)');
    await createLocalizedDocument(app.strapi, FAQ, {
      en: { productKey: key, position: 0, question: 'Is it dishwasher safe?', answer: 'Yes, **1,000 cycles** tested.' },
      de: { productKey: key, position: 0, question: 'Spülmaschinenfest?', answer: 'Ja, **1.000 Spülgänge** getestet.' },
    });
    await createLocalizedDocument(app.strapi, FAQ, {
      en: {
        productKey: key,
        position: 1,
        question: '<img src=x onerror="window.__xss=1">Custom logo?',
        answer: 'From 500 pcs. <img src=x onerror="window.__xss=2"><script>window.__xss=3</script></script>',
      },
    });
    const page = (locale: string) => `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>Mug</title>
<style>moat-faq{--moat-faq-accent:rgb(200, 0, 0)}</style></head>
<body><h1>Ceramic mug</h1><moat-faq product="${key}" locale="${locale}"></moat-faq>
<p id="after">Rest of the product page</p>
<script src="${app.url}/moat/faq.js" defer></script></body></html>`;
    const empty = `<!doctype html><moat-faq product="${uniqueKey('none')}"></moat-faq><moat-faq product="bad key<>"></moat-faq><p id="ok">ok</p>
      <script>window.events=[];document.addEventListener('moat-faq:error',(e)=>events.push(String(e.detail.error)));</script>
      <script src="${app.url}/moat/faq.js"></script>`;
    site = await serveStatic({ '/de': page('de'), '/en': page('en'), '/empty': empty });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await app?.destroy();
  });

  it('shows the FAQ, opens an answer by keyboard and carries the JSON-LD', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.url}/de`);
    const widget = page.locator('moat-faq');
    await expect.poll(() => widget.locator('summary').count(), { timeout: 10_000 }).toBe(2);

    expect(await widget.locator('h2').textContent()).toBe('Häufig gestellte Fragen');
    expect(await widget.locator('summary').allTextContents()).toEqual(['Spülmaschinenfest?', '<img src=x onerror="window.__xss=1">Custom logo?']);
    const answer = widget.locator('[part="answer"]').first();
    expect(await answer.isVisible()).toBe(false);

    // keyboard only: Tab to the first question, Enter opens it
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.tagName)).toBe('SUMMARY');
    await page.keyboard.press('Enter');
    expect(await widget.locator('details').first().evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await answer.isVisible()).toBe(true);
    expect(await answer.innerHTML()).toBe('<p>Ja, <strong>1.000 Spülgänge</strong> getestet.</p>');
    // styles are overridable with custom properties from the host page
    expect(await widget.locator('summary').first().evaluate((s) => getComputedStyle(s, '::after').color)).toBe('rgb(200, 0, 0)');

    const ld = JSON.parse((await page.locator('moat-faq script[type="application/ld+json"]').textContent()) ?? 'null');
    expect(ld['@type']).toBe('FAQPage');
    expect(ld.inLanguage).toBe('de');
    expect(ld.mainEntity.map((q: { name: string }) => q.name)).toEqual(['Spülmaschinenfest?', '<img src=x onerror="window.__xss=1">Custom logo?']);

    // hostile content rendered as text / stripped: nothing ran
    await widget.locator('summary').nth(1).click();
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await widget.locator('[part="answer"]').nth(1).innerHTML()).not.toMatch(/<img|<script/);
    expect(errors).toEqual([]);
    await page.screenshot({ path: artifactPath('faq-widget-de.png'), fullPage: true });
    await page.close();
  });

  it('hides itself for a product without FAQ and never breaks the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/empty`);
    await expect.poll(() => page.evaluate(() => (window as unknown as { events: string[] }).events), { timeout: 10_000 }).toEqual([expect.stringContaining('400')]);
    // the two widgets load independently: the empty product's answer may come after the error
    await expect.poll(() => page.locator('moat-faq').first().evaluate((e) => (e as HTMLElement).hidden), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#ok').isVisible()).toBe(true);
    await page.close();
  });
});
