import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../helpers/admin';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const TEMPLATE = 'plugin::lifecycle-email.email-template';

describe('email templates in Strapi', () => {
  let app: BootedStrapi;
  let token: string;
  beforeAll(async () => {
    app = await bootStrapi();
    const admin = await createSuperAdmin(app.strapi);
    const login = await app.request.post('/admin/login').send(admin).expect(200);
    token = login.body.data.token;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('seeds every default kind in English and Simplified Chinese, with partials, once', async () => {
    for (const name of ['Welcome', 'Shipping confirmation', 'Milestone', 'Loyalty tier', 'Inquiry follow-up']) {
      const [en] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name }, locale: 'en' })) as any[];
      expect(en, name).toBeDefined();
      const zh = (await app.strapi.documents(TEMPLATE).findOne({ documentId: en.documentId, locale: 'zh-Hans' })) as any;
      expect(zh?.mjml).toContain('lang="zh-Hans"');
      expect(en.version).toMatch(/\w+-\w+/);
    }
    expect(await app.strapi.plugin('lifecycle-email').service('seed').run()).toEqual([]);
  });

  it('refuses to save invalid MJML with line numbers, and versions every valid save', async () => {
    const [welcome] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name: 'Welcome' }, locale: 'en' })) as any[];
    const bad = '<mjml><mj-body>\n<mj-section>\n<mj-column>\n<mj-text nonsense="1">x</mj-text>\n</mj-column></mj-section></mj-body></mjml>';
    const error = await app.strapi.documents(TEMPLATE).update({ documentId: welcome.documentId, locale: 'en', data: { mjml: bad } as any }).catch((e) => e);
    expect(error?.name).toBe('ValidationError');
    expect(error.message).toMatch(/line 4/);
    const unchanged = (await app.strapi.documents(TEMPLATE).findOne({ documentId: welcome.documentId, locale: 'en' })) as any;
    expect(unchanged.mjml).toBe(welcome.mjml);

    const saved = (await app.strapi.documents(TEMPLATE).update({ documentId: welcome.documentId, locale: 'en', data: { subject: 'Hi {{customer.firstName}}' } as any })) as any;
    expect(saved.version).not.toBe(welcome.version);
  });

  it('previews unsaved values for logged-in admins, reporting MJML errors and missing variables', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const ok = await app.request
      .post('/lifecycle-email/preview')
      .set(auth)
      .send({ subject: 'Hi {{name}}', mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}</mj-text></mj-column></mj-section>{{> footer}}</mj-body></mjml>', data: { name: 'Ada', shop: { name: 'S', address: 'A' }, links: { preferences: 'p', unsubscribe: 'u', viewInBrowser: 'v' }, labels: { preferences: 'P', unsubscribe: 'U', viewInBrowser: 'V' } } })
      .expect(200);
    expect(ok.body).toMatchObject({ subject: 'Hi Ada', errors: [], warnings: [] });
    expect(ok.body.html).toContain('Hello Ada');

    const invalid = await app.request.post('/lifecycle-email/preview').set(auth).send({ subject: 's', mjml: '<mjml><mj-body><mj-bogus/></mj-body></mjml>' }).expect(200);
    expect(invalid.body.errors.length).toBeGreaterThan(0);
    const missing = await app.request.post('/lifecycle-email/preview').set(auth).send({ subject: 'Hi {{name}}', mjml: '<mjml><mj-body></mj-body></mjml>', data: {} }).expect(200);
    expect(missing.body.warnings[0]).toMatch(/name/);

    await app.request.post('/lifecycle-email/preview').set(auth).send({ subject: 1 }).expect(400);
    await app.request.post('/lifecycle-email/preview').send({ subject: 's', mjml: 'x' }).expect(401);
  });
});
