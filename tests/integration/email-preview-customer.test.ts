import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminCredentials, adminJwt, createAdminInRole, createAdminWithRole, createRoleWithActions } from '../helpers/admin';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';

const TEMPLATE = 'plugin::lifecycle-email.email-template';
const MJML = `<mjml>
<mj-body>
<mj-section><mj-column>
<mj-text><h2>Hi {{customer.firstName}}</h2></mj-text>
<mj-text>You have {{customer.orderCount}} orders in {{customer.timeZone}}. [[PERMALINK]]</mj-text>
</mj-column></mj-section>
</mj-body>
</mjml>`;

/** Preview with a real CRM customer's data: the picker's search, the preview and send-test with customerId, and who may. */
describe('email preview with a real customer', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  const jwt: Record<'superAdmin' | 'editor' | 'previewer', string> = { superAdmin: '', editor: '', previewer: '' };
  let superAdmin: AdminCredentials;
  let editor: AdminCredentials;
  const tag = randomUUID().slice(0, 8);
  let customerId: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await bootStrapi({ env: { MOAT_EMAIL_TRANSPORT: 'smtp', SMTP_HOST: sink.host, SMTP_PORT: String(sink.port), MOAT_EMAIL_FROM: 'Shop <sales@shop.example>', MOAT_EMAIL_DOMAIN: 'shop.example' } });
    superAdmin = await createAdminWithRole(app.strapi, 'strapi-super-admin');
    jwt.superAdmin = await adminJwt(app.request, superAdmin);
    // Editor: may preview with sample data, not with a customer's
    editor = await createAdminWithRole(app.strapi, 'strapi-editor');
    jwt.editor = await adminJwt(app.request, editor);
    const role = await createRoleWithActions(app.strapi, 'customer previewer', ['plugin::lifecycle-email.preview', 'plugin::lifecycle-email.preview.customer']);
    jwt.previewer = await adminJwt(app.request, await createAdminInRole(app.strapi, role, 'previewer'));
    customerId = (await app.strapi.plugin('crm').service('customers').identify({ email: `greta-${tag}@buyer.example`, name: `Greta Lindqvist${tag}`, company: `Nordlicht ${tag}` })).documentId;
    await app.strapi.documents('plugin::crm.customer' as never).update({ documentId: customerId, data: { ordersCount: 7, timeZone: 'Europe/Stockholm' } } as never);
  });
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
  });

  const as = (who: keyof typeof jwt) => ({ Authorization: `Bearer ${jwt[who]}` });
  const preview = (body: Record<string, unknown>) => ({ subject: 'For {{customer.name}}', mjml: MJML, data: { customer: { firstName: 'Sample', orderCount: 1, timeZone: 'UTC', name: 'Sample' } }, ...body });

  it('GET /preview-customers: 401 without login, 403 for an Editor, 200 for Super Admin and a role holding preview.customer', async () => {
    await app.request.get(`/lifecycle-email/preview-customers?q=${tag}`).expect(401);
    await app.request.get(`/lifecycle-email/preview-customers?q=${tag}`).set(as('editor')).expect(403);
    for (const who of ['superAdmin', 'previewer'] as const) {
      const res = await app.request.get(`/lifecycle-email/preview-customers?q=${tag}`).set(as(who)).expect(200);
      expect(res.body.results).toEqual([{ documentId: customerId, name: `Greta Lindqvist${tag}`, email: `greta-${tag}@buyer.example`, company: `Nordlicht ${tag}`, country: null, language: null }]);
    }
    // by email and by company, any case
    expect((await app.request.get(`/lifecycle-email/preview-customers?q=GRETA-${tag}`).set(as('superAdmin')).expect(200)).body.results).toHaveLength(1);
    expect((await app.request.get(`/lifecycle-email/preview-customers?q=nordlicht%20${tag}`).set(as('superAdmin')).expect(200)).body.results).toHaveLength(1);
    expect((await app.request.get(`/lifecycle-email/preview-customers?q=nobody-${tag}`).set(as('superAdmin')).expect(200)).body.results).toEqual([]);
    const long = await app.request.get(`/lifecycle-email/preview-customers?q=${'x'.repeat(101)}`).set(as('superAdmin')).expect(400);
    expect(long.body.error.message).toMatch(/q is longer than 100 characters/);
  });

  it("POST /preview with customerId renders the customer's data, not the sample; the Editor gets 403, sample previews stay open to them", async () => {
    await app.request.post('/lifecycle-email/preview').send(preview({ customerId })).expect(401);
    const refused = await app.request.post('/lifecycle-email/preview').set(as('editor')).send(preview({ customerId })).expect(403);
    expect(refused.body.error.message).toMatch(/real customer's data/);
    const sample = await app.request.post('/lifecycle-email/preview').set(as('editor')).send(preview({})).expect(200);
    expect(sample.body.subject).toBe('For Sample');

    for (const who of ['superAdmin', 'previewer'] as const) {
      const res = await app.request.post('/lifecycle-email/preview').set(as(who)).send(preview({ customerId })).expect(200);
      expect(res.body.subject).toBe(`For Greta Lindqvist${tag}`);
      expect(res.body.html).toContain('Hi Greta');
      expect(res.body.html).toContain('You have 7 orders in Europe/Stockholm.');
      expect(res.body.text).toContain('Hi Greta');
      expect(res.body.html).not.toContain('Sample');
      expect(res.body.errors).toEqual([]);
      expect(res.body.unresolved).toEqual([]);
      // the Mailjet placeholder is sent as written: a warning, with its MJML line
      expect(res.body.foreign).toEqual([{ text: '[[PERMALINK]]', tool: 'Mailjet', part: 'mjml', line: 5 }]);
      expect(res.body.warnings).toEqual([expect.stringMatching(/^\[\[PERMALINK\]\] \(Mailjet style\) on MJML line 5 is not replaced/)]);
    }
  });

  it('reports what this customer lacks as unresolved variables, all of them, with MJML lines', async () => {
    const bare = (await app.strapi.plugin('crm').service('customers').identify({ email: `bare-${tag}@buyer.example` })).documentId;
    const res = await app.request.post('/lifecycle-email/preview').set(as('superAdmin')).send(preview({ customerId: bare })).expect(200);
    // no name, no time zone; the CRM counts orders from 0, so orderCount is there
    expect(res.body.html).toBeUndefined();
    expect(res.body.unresolved).toEqual([
      { name: 'customer.name', part: 'subject', lines: [1] },
      { name: 'customer.firstName', part: 'mjml', lines: [4] },
      { name: 'customer.timeZone', part: 'mjml', lines: [5] },
    ]);
    expect(res.body.warnings[1]).toBe('Unresolved variable customer.firstName (MJML line 4)');
  });

  it('answers an unknown customer with 404 and a bad customerId with 400', async () => {
    const missing = await app.request.post('/lifecycle-email/preview').set(as('superAdmin')).send(preview({ customerId: `nope${tag}` })).expect(404);
    expect(missing.body.error.message).toBe(`No CRM customer nope${tag}`);
    await app.request.post('/lifecycle-email/preview').set(as('superAdmin')).send(preview({ customerId: 'x'.repeat(65) })).expect(400);
  });

  it("POST /send-test with customerId sends the saved template with the customer's data", async () => {
    const saved = (await app.strapi.documents(TEMPLATE).create({ data: { name: `Customer test ${tag}`, kind: 'custom', subject: 'For {{customer.firstName}}', mjml: MJML, sampleData: { customer: { firstName: 'Sample', orderCount: 1, timeZone: 'UTC' } } } as never, locale: 'en' } as never)) as { documentId: string };
    const body = { documentId: saved.documentId, locale: 'en', to: superAdmin.email, customerId };
    // to their own address the Editor may send a test, but not with a customer's data
    const refused = await app.request.post('/lifecycle-email/send-test').set(as('editor')).send({ ...body, to: editor.email }).expect(403);
    expect(refused.body.error.message).toMatch(/real customer's data/);
    await app.request.post('/lifecycle-email/send-test').set(as('superAdmin')).send(body).expect(200);
    const [mail] = await sink.waitFor(1);
    expect(mail.parsed.subject).toBe('[TEST] For Greta');
    expect(mail.parsed.text).toContain('You have 7 orders in Europe/Stockholm.');
  });
});
