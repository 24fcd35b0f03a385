import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../helpers/admin';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
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

describe('send test email through the configured transport', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  let token: string;
  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await bootStrapi({ env: { MOAT_EMAIL_TRANSPORT: 'smtp', SMTP_HOST: sink.host, SMTP_PORT: String(sink.port), MOAT_EMAIL_FROM: 'Bright Lighting <sales@bright.example>', MOAT_EMAIL_DOMAIN: 'bright.example' } });
    const admin = await createSuperAdmin(app.strapi);
    token = (await app.request.post('/admin/login').send(admin).expect(200)).body.data.token;
  });
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
  });

  it('reaches a real SMTP server with the subject, From and one-click List-Unsubscribe', async () => {
    const [shipping] = (await app.strapi.documents(TEMPLATE).findMany({ filters: { name: 'Shipping confirmation' }, locale: 'zh-Hans' })) as any[];
    const res = await app.request
      .post('/lifecycle-email/send-test')
      .set({ Authorization: `Bearer ${token}` })
      .send({ documentId: shipping.documentId, locale: 'zh-Hans', to: 'qa@buyer.example' })
      .expect(200);
    expect(res.body.accepted).toEqual(['qa@buyer.example']);
    const [mail] = await sink.waitFor(1);
    expect(mail.parsed.subject).toBe('[TEST] 您的订单 #1042 已发货');
    expect(mail.parsed.from?.value[0]).toEqual({ address: 'sales@bright.example', name: 'Bright Lighting' });
    const lines = mail.parsed.headerLines;
    expect(lines.find((l) => l.key === 'list-unsubscribe')?.line).toBe('List-Unsubscribe: <https://moat.example.com/u/tok123>');
    expect(lines.find((l) => l.key === 'list-unsubscribe-post')?.line).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.raw).toMatch(/multipart\/alternative/i);
    expect(mail.parsed.text).toContain('JD014600006281');
  });

  it('rejects a bad address or an unknown template with a 4xx', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    const bad = await app.request.post('/lifecycle-email/send-test').set(auth).send({ documentId: 'x', locale: 'en', to: 'not-an-email' }).expect(400);
    expect(bad.body.error.message).toMatch(/to must be an email address/);
    await app.request.post('/lifecycle-email/send-test').set(auth).send({ documentId: 'does-not-exist', locale: 'en', to: 'a@b.example' }).expect(404);
  });
});
