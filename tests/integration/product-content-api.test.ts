import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalizedDocument, ensureLocale, uniqueKey } from '../helpers/content';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const FAQ = 'plugin::product-content.faq-item';
const SP = 'plugin::product-content.selling-point';
const api = (key: string) => `/api/product-content/products/${encodeURIComponent(key)}`;

describe('product content public API', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi();
    await ensureLocale(app.strapi, 'de', 'German (de)');
    await ensureLocale(app.strapi, 'zh-Hans', 'Chinese (Simplified) (zh-Hans)');
  });
  afterAll(async () => {
    await app?.destroy();
  });

  /** Given a product with three published FAQs (one untranslated), a draft, and a selling point. */
  async function givenProduct() {
    const key = uniqueKey('led');
    const second = await createLocalizedDocument(app.strapi, FAQ, {
      en: { productKey: key, position: 2, question: 'Second?', answer: 'Answer **two**' },
      de: { productKey: key, position: 2, question: 'Zweite?', answer: 'Antwort **zwei**' },
    });
    const first = await createLocalizedDocument(app.strapi, FAQ, {
      en: { productKey: key, position: 1, question: 'First?', answer: 'Answer one' },
      de: { productKey: key, position: 1, question: 'Erste?', answer: 'Antwort eins' },
    });
    const third = await createLocalizedDocument(app.strapi, FAQ, {
      en: { productKey: key, position: 3, question: 'Only in English?', answer: 'Yes' },
    });
    await createLocalizedDocument(app.strapi, FAQ, { en: { productKey: key, position: 0, question: 'Draft?', answer: 'hidden' } }, []);
    await createLocalizedDocument(app.strapi, FAQ, {
      en: { productKey: key, position: 4, question: 'Published EN, draft DE?', answer: 'en' },
      de: { productKey: key, position: 4, question: 'Entwurf', answer: 'de draft' },
    }, ['en']);
    await createLocalizedDocument(app.strapi, SP, {
      en: { productKey: key, position: 0, title: 'Efficient', body: '130 lm/W', icon: 'bolt' },
      de: { productKey: key, position: 0, title: 'Effizient', body: '130 lm/W', icon: 'bolt' },
    });
    return { key, first, second, third };
  }

  it('returns published FAQs in position order, drafts invisible', async () => {
    const { key, first, second, third } = await givenProduct();
    const res = await app.request.get(api(key)).query({ locale: 'en' }).expect(200);
    expect(res.body.faqs.map((f: { id: string }) => f.id).slice(0, 3)).toEqual([first, second, third]);
    expect(res.body.faqs.map((f: { question: string }) => f.question)).toEqual(['First?', 'Second?', 'Only in English?', 'Published EN, draft DE?']);
    expect(res.body.faqs[1].answerHtml).toBe('<p>Answer <strong>two</strong></p>');
    expect(res.body.sellingPoints).toEqual([expect.objectContaining({ title: 'Efficient', icon: 'bolt', fallback: false })]);
    expect(res.body.fallbackUsed).toBe(false);
  });

  it('serves the translation and falls back to the default locale per item, saying so', async () => {
    const { key } = await givenProduct();
    const res = await app.request.get(api(key)).query({ locale: 'de' }).expect(200);
    expect(res.body.locale).toBe('de');
    expect(res.body.defaultLocale).toBe('en');
    expect(res.body.fallbackUsed).toBe(true);
    expect(res.body.faqs.map((f: { question: string; locale: string; fallback: boolean }) => [f.question, f.locale, f.fallback])).toEqual([
      ['Erste?', 'de', false],
      ['Zweite?', 'de', false],
      ['Only in English?', 'en', true],
      ['Published EN, draft DE?', 'en', true],
    ]);
    expect(res.body.sellingPoints[0]).toMatchObject({ title: 'Effizient', fallback: false });
  });

  it('matches locale codes case-insensitively and defaults to the default locale', async () => {
    const { key } = await givenProduct();
    await ensureLocale(app.strapi, 'zh-Hans');
    const zh = await app.request.get(api(key)).query({ locale: 'zh-hans' }).expect(200);
    expect(zh.body.locale).toBe('zh-Hans');
    expect(zh.body.faqs.every((f: { fallback: boolean }) => f.fallback)).toBe(true);
    const none = await app.request.get(api(key)).expect(200);
    expect(none.body.locale).toBe('en');
  });

  it('answers 304 when the ETag matches and a new ETag after an edit', async () => {
    const { key, first } = await givenProduct();
    const res = await app.request.get(api(key)).query({ locale: 'en' }).expect(200);
    const etag = res.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(res.headers['cache-control']).toContain('max-age=');
    const cached = await app.request.get(api(key)).query({ locale: 'en' }).set('If-None-Match', etag).expect(304);
    expect(cached.text ?? '').toBe('');

    await app.strapi.documents(FAQ).update({ documentId: first, locale: 'en', data: { question: 'First, edited?' } as any });
    await app.strapi.documents(FAQ).publish({ documentId: first, locale: 'en' });
    const fresh = await app.request.get(api(key)).query({ locale: 'en' }).set('If-None-Match', etag).expect(200);
    expect(fresh.headers.etag).not.toBe(etag);
    expect(fresh.body.faqs[0].question).toBe('First, edited?');
  });

  it('provides valid schema.org FAQPage JSON-LD for the same data', async () => {
    const { key } = await givenProduct();
    const res = await app.request.get(`${api(key)}/faq.jsonld`).query({ locale: 'de' }).expect(200);
    expect(res.headers['content-type']).toContain('application/ld+json');
    const ld = JSON.parse(res.text);
    expect(ld['@context']).toBe('https://schema.org');
    expect(ld['@type']).toBe('FAQPage');
    expect(ld.inLanguage).toBe('de');
    expect(ld.mainEntity).toHaveLength(4);
    for (const q of ld.mainEntity) {
      expect(q['@type']).toBe('Question');
      expect(typeof q.name).toBe('string');
      expect(q.acceptedAnswer['@type']).toBe('Answer');
      expect(q.acceptedAnswer.text.length).toBeGreaterThan(0);
    }
    expect(ld.mainEntity[0].name).toBe('Erste?');
    const payload = await app.request.get(api(key)).query({ locale: 'de' }).expect(200);
    expect(payload.body.jsonLd).toEqual(ld);
  });

  it('answers an unknown product with 200 and empty lists', async () => {
    const res = await app.request.get(api(uniqueKey('nothing'))).expect(200);
    expect(res.body).toMatchObject({ faqs: [], sellingPoints: [], jsonLd: null, fallbackUsed: false });
    await app.request.get(`${api(uniqueKey('nothing'))}/faq.jsonld`).expect(404);
  });

  it('accepts a Shopify GID as the product key', async () => {
    const key = `gid://shopify/Product/${Date.now()}`;
    await createLocalizedDocument(app.strapi, FAQ, { en: { productKey: key, position: 0, question: 'GID?', answer: 'ok' } });
    const res = await app.request.get(api(key)).expect(200);
    expect(res.body.product).toBe(key);
    expect(res.body.faqs[0].question).toBe('GID?');
  });

  it('rejects bad input with a 400 that says what is wrong', async () => {
    const unsupported = await app.request.get(api('x-1')).query({ locale: 'xx' }).expect(400);
    expect(unsupported.body.error.message).toMatch(/Unsupported locale "xx"\. Supported locales: .*en.*de/);

    const malformed = await app.request.get(api('x-1')).query({ locale: '<script>' }).expect(400);
    expect(malformed.body.error.message).toContain('locale');

    const unknownParam = await app.request.get(api('x-1')).query({ foo: 'bar' }).expect(400);
    expect(unknownParam.body.error.message).toContain('unknown query parameter(s): foo');

    // the query parser drops prototype keys silently; the raw names are checked too
    for (const hostile of ['__proto__[x]=1', 'constructor[prototype][x]=1', 'locale=en&__proto__=1']) {
      const res = await app.request.get(`${api('x-1')}?${hostile}`).expect(400);
      expect(res.body.error.message).toMatch(/unknown query parameter\(s\): (__proto__|constructor)/);
    }

    const arrayParam = await app.request.get(`${api('x-1')}?locale=en&locale=de`).expect(400);
    expect(arrayParam.body.error.message).toContain('locale');

    const badKey = await app.request.get(api('bad key<>')).expect(400);
    expect(badKey.body.error.message).toContain('Invalid product key');

    const longKey = await app.request.get(api('k'.repeat(300))).expect(400);
    expect(longKey.body.error.message).toContain('255');

    const oversized = await app.request.get(`${api('x-1')}?locale=${'a'.repeat(3000)}`).expect(400);
    expect(oversized.body.error.message).toMatch(/longer than/);
  });

  it('sanitizes HTML and scripts in answers', async () => {
    const key = uniqueKey('xss');
    await createLocalizedDocument(app.strapi, FAQ, {
      en: {
        productKey: key,
        position: 0,
        question: '<img src=x onerror=alert(1)>?',
        answer: 'Hi <script>alert(1)</script> [link](javascript:alert(1)) <a href="https://ok.example" onclick="x()">ok</a>',
      },
    });
    const res = await app.request.get(api(key)).expect(200);
    const html: string = res.body.faqs[0].answerHtml;
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:/i);
    expect(html).toContain('href="https://ok.example"');
    // the question is plain text: consumers must render it as text (the widget does)
    expect(res.body.faqs[0].question).toBe('<img src=x onerror=alert(1)>?');
  });
});

describe('product content API rate limit', () => {
  let app: BootedStrapi;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_CONTENT_RATE_LIMIT: '5' } });
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('answers 429 with Retry-After past the per-IP limit, one budget across its routes', async () => {
    const statuses: number[] = [];
    let last: { headers: Record<string, string>; body: { error: { message: string } } } | undefined;
    for (let i = 0; i < 8; i++) {
      // alternate the two routes: the JSON-LD of an unknown product is a 404, and still counts
      const res = await app.request.get(i % 2 ? `${api('rate-test')}/faq.jsonld` : api('rate-test'));
      statuses.push(res.status);
      last = res as never;
    }
    expect(statuses).toEqual([200, 404, 200, 404, 200, 429, 429, 429]);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.body.error.message).toMatch(/Too many requests/);
  });
});
