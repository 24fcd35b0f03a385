import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from '../helpers/browser';
import { customersWithEmail, inquiriesOf } from '../helpers/crm';
import { useTrackerSuite, waitFor } from '../helpers/tracker-browser';
import { CHROME_UA, newId } from '../helpers/tracking';

const SITE = 'shop_languages';

/** Shopify Dawn's contact form, its field names in the shop's language (as Dawn renders them). */
const dawn = (fields: string) => `<form method="post" action="/contact#ContactForm" id="ContactForm" accept-charset="UTF-8" class="contact-form">
<input type="hidden" name="form_type" value="contact"><input type="hidden" name="utf8" value="✓">
${fields}<button type="submit" id="send">Envoyer</button></form>`;

const PAGES: Record<string, string> = {
  // Dawn 15 on a French shop: autocomplete tokens present
  '/pages/contact-fr': dawn(`<input autocomplete="name" type="text" id="ContactForm-name" name="contact[Nom]" placeholder="Nom">
<input autocomplete="email" type="email" id="ContactForm-email" name="contact[E-mail]" spellcheck="false" autocapitalize="off" placeholder="E-mail">
<input type="tel" id="ContactForm-phone" autocomplete="tel" name="contact[Numéro de téléphone]" pattern="[0-9\\-]*" placeholder="Numéro de téléphone">
<textarea rows="10" id="ContactForm-body" name="contact[Commentaire]" placeholder="Commentaire"></textarea>`),
  // an older theme without autocomplete or input types: the field names alone
  '/pages/contact-fr-plain': dawn(`<input type="text" id="ContactForm-name" name="contact[Nom]">
<input type="text" id="ContactForm-email" name="contact[Courriel]">
<input type="text" id="ContactForm-phone" name="contact[Numéro de téléphone]">
<textarea id="ContactForm-body" name="contact[Commentaire]"></textarea>`),
  // a Japanese shop: the Shopify add-on brings the ja/zh/ko/ru/ar names
  '/pages/contact-ja': dawn(`<input type="text" id="ContactForm-name" name="contact[お名前]">
<input type="email" id="ContactForm-email" name="contact[メールアドレス]">
<textarea id="ContactForm-body" name="contact[お問い合わせ内容]"></textarea>`),
};

describe('form field capture in the shop language (real Chromium)', () => {
  const suite = useTrackerSuite(SITE);
  let server: Server;
  let shopUrl = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://shop');
      if (req.method === 'POST') {
        req.resume();
        res.writeHead(302, { location: '/?contact_posted=true' }).end();
        return;
      }
      const body = PAGES[url.pathname] ?? '<p id="notice">Merci</p>';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Contact</title>
<script>window.Shopify={shop:'boutique.myshopify.com'};</script>
<script async src="${suite.app.url}/moat/t.js" data-site="${SITE}"></script></head><body>${body}</body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    shopUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  async function submit(path: string, values: Record<string, string>) {
    const context = await suite.browser.newContext({ userAgent: CHROME_UA });
    const page = await context.newPage();
    try {
      await page.goto(`${shopUrl}${path}`);
      await page.waitForFunction(() => typeof (window as any).moat?.visitor === 'function' && (window as any).moatLoaded?.includes('shopify'));
      for (const [selector, value] of Object.entries(values)) await page.fill(selector, value);
      await page.screenshot({ path: artifactPath(`form-language${path.replace(/\//g, '-')}.png`) });
      await Promise.all([page.waitForURL(/contact_posted=true/), page.click('#send')]);
    } finally {
      await context.close();
    }
  }

  const customer = (email: string) =>
    waitFor(async () => (await customersWithEmail(suite.app.strapi, email))[0] as Record<string, any> | undefined, `customer ${email}`);

  it('a French Dawn contact form keeps the name, phone and message (contact[Nom], contact[Numéro de téléphone], contact[Commentaire])', async () => {
    const email = `${newId('fr').toLowerCase()}@exemple.fr`;
    await submit('/pages/contact-fr', {
      '#ContactForm-name': 'Chloé Martin',
      '#ContactForm-email': email,
      '#ContactForm-phone': '0612345678',
      '#ContactForm-body': 'Bonjour, 500 plateaux FOB Shanghai ?',
    });
    const row = await customer(email);
    expect(row).toMatchObject({ name: 'Chloé Martin' });
    // the phone is kept when it parses (a French national number without country: dropped, not the person)
    const [inquiry] = await waitFor(async () => {
      const list = await inquiriesOf(suite.app.strapi, row.document_id);
      return list.length ? list : undefined;
    }, 'the inquiry');
    expect(inquiry.message).toBe('Bonjour, 500 plateaux FOB Shanghai ?');
  });

  it('without autocomplete attributes the French field names alone are enough', async () => {
    const email = `${newId('frp').toLowerCase()}@exemple.fr`;
    await submit('/pages/contact-fr-plain', { '#ContactForm-name': 'Léa Dubois', '#ContactForm-email': email, '#ContactForm-phone': '+33 6 12 34 56 78', '#ContactForm-body': 'Devis ?' });
    expect(await customer(email)).toMatchObject({ name: 'Léa Dubois', phone: '+33612345678' });
  });

  it('a Japanese shop keeps the name (お名前) through the Shopify add-on', async () => {
    const email = `${newId('ja').toLowerCase()}@example.jp`;
    await submit('/pages/contact-ja', { '#ContactForm-name': '山田 太郎', '#ContactForm-email': email, '#ContactForm-body': '見積もりをお願いします' });
    expect(await customer(email)).toMatchObject({ name: '山田 太郎' });
  });
});
