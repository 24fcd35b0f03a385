/**
 * Quotes: a file attached to an inquiry, sent as an unguessable link; every open is a
 * `quote_opened` touchpoint (time, country, device) on the timeline and counts in the score.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER, crmClock, FOLLOW_UP, INQUIRY, setCrmConfig, type TestAdmin, testAdmin } from '../helpers/crm-engage';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { IPHONE_UA, touchpointsOf } from '../helpers/tracking';

describe('CRM quotes', () => {
  let app: BootedStrapi;
  let admin: TestAdmin;
  const dir = mkdtempSync(join(tmpdir(), 'moat-quotes-'));
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(2048)]);

  beforeAll(async () => {
    app = await bootStrapi({ env: { IS_PROXIED: 'true' } });
    admin = await testAdmin(app);
    setCrmConfig(app.strapi, 'quotes', { dir });
    setCrmConfig(app.strapi, 'scoring', { debounceMs: 0 });
  });
  afterAll(async () => {
    crmClock(app.strapi).set(null);
    await app?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const auth = () => ({ Authorization: `Bearer ${admin.jwt}` });
  const inquiry = async () => {
    const customerId = (await app.strapi.plugin('crm').service('customers').identify({ email: `rfq-${randomUUID().slice(0, 8)}@importer.example` })).documentId as string;
    const inquiryId = (await app.strapi.documents(INQUIRY).create({ data: { customer: customerId, productTitle: 'Industrial Widget', quantity: 500 } as any })).documentId as string;
    return { customerId, inquiryId };
  };
  const attach = (inquiryId: string) => app.request.post(`/crm/inquiries/${inquiryId}/quotes`).set(auth()).attach('file', pdf, { filename: 'Quote 2026-17.pdf', contentType: 'application/pdf' });

  it('attaches a file, sends a tracked link, and records each open with country and device on the timeline and in the score', async () => {
    const { customerId, inquiryId } = await inquiry();
    const attached = await attach(inquiryId);
    expect(attached.status).toBe(201);
    expect(attached.body.data).toMatchObject({ fileName: 'Quote 2026-17.pdf', size: pdf.length });
    const sent = await app.request.post(`/crm/quotes/${attached.body.data.documentId}/send`).set(auth()).send({});
    expect(sent.status).toBe(200);
    expect(sent.body.data.sentTo).toMatch(/@importer\.example$/);
    expect(sent.body.data.emailed).toBe(false);
    const url = new URL(sent.body.data.url, app.url);
    const token = url.pathname.split('/').pop() as string;
    expect(url.pathname).toBe(`/api/crm/quotes/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits
    // sending the quote moves the inquiry on: its cadence stops
    const moved = (await app.strapi.documents(INQUIRY).findOne({ documentId: inquiryId })) as any;
    expect(moved.status).toBe('quoted');
    const open = await app.strapi.documents(FOLLOW_UP).count({ filters: { inquiry: { documentId: inquiryId }, kind: 'task', status: 'open' } });
    expect(open).toBe(0);

    crmClock(app.strapi).set('2026-05-04T08:15:00Z');
    const res = await app.request.get(url.pathname).set('User-Agent', IPHONE_UA).set('X-Forwarded-For', '81.2.69.142').buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(Buffer.compare(res.body as Buffer, pdf)).toBe(0);
    await app.request.get(url.pathname).set('User-Agent', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0.0.0 Safari/537.36').set('X-Forwarded-For', '8.8.8.8');

    const opens = (await touchpointsOf(app.strapi, { customer_id: customerId })).filter((t) => t.type === 'quote_opened');
    expect(opens.map((t) => [new Date(t.occurred_at).toISOString(), t.country, t.device])).toEqual([
      ['2026-05-04T08:15:00.000Z', 'GB', 'mobile'],
      ['2026-05-04T08:15:00.000Z', 'US', 'desktop'],
    ]);
    expect(opens[0].properties).toMatchObject({ quoteId: attached.body.data.documentId, inquiryId, fileName: 'Quote 2026-17.pdf' });
    const listed = await app.request.get(`/crm/inquiries/${inquiryId}/quotes`).set(auth());
    expect(listed.body.data[0]).toMatchObject({ opens: 2, sentTo: sent.body.data.sentTo });
    expect(listed.body.data[0].storedName).toBeUndefined();

    await app.strapi.plugin('crm').service('scoring').idle();
    const customer = (await app.strapi.documents(CUSTOMER).findOne({ documentId: customerId })) as any;
    expect(customer.scoreExplanation.items).toContainEqual({ type: 'quote_opened', count: 2, points: 20 });
  });

  it('404s unknown and malformed tokens, rate-limits opens per address, and refuses bad uploads', async () => {
    expect((await app.request.get(`/api/crm/quotes/${randomBytes(32).toString('base64url')}`)).status).toBe(404);
    expect((await app.request.get('/api/crm/quotes/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await app.request.get('/api/crm/quotes/short')).status).toBe(404);

    setCrmConfig(app.strapi, 'quotes', { ratePerMinute: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await app.request.get('/api/crm/quotes/unknown-token').set('X-Forwarded-For', '203.0.113.77')).status);
      expect(statuses).toEqual([404, 404, 404, 429, 429]);
      expect((await app.request.get('/api/crm/quotes/unknown-token').set('X-Forwarded-For', '203.0.113.78')).status).toBe(404);
    } finally {
      setCrmConfig(app.strapi, 'quotes', { ratePerMinute: 30 });
    }

    const { inquiryId } = await inquiry();
    const noFile = await app.request.post(`/crm/inquiries/${inquiryId}/quotes`).set(auth()).field('note', 'x');
    expect(noFile.status).toBe(400);
    expect(noFile.body.error.message).toMatch(/^file: /);
    expect((await attach('no-such-inquiry')).status).toBe(404);
    setCrmConfig(app.strapi, 'quotes', { maxBytes: 1000 });
    try {
      const big = await attach(inquiryId);
      expect(big.status).toBe(413);
    } finally {
      setCrmConfig(app.strapi, 'quotes', { maxBytes: 20 * 1024 * 1024 });
    }
    expect((await app.request.post('/crm/quotes/nope/send').set(auth()).send({})).status).toBe(404);
    expect((await app.request.post('/crm/quotes/nope/send').set(auth()).send({ to: 'not an email' })).status).toBe(400);
  });
});
