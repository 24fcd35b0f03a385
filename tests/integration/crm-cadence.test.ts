/**
 * Follow-up cadence and the public pool, on the CRM's controllable clock: a new inquiry gets
 * tasks due on day 1, 3 and 7 on the shop's working days; the cadence stops when the inquiry
 * moves on; idle customers and inquiries return to the pool and are claimed, each on the timeline.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER, crmClock, FOLLOW_UP, INQUIRY, setCrmConfig, type TestAdmin, testAdmin } from '../helpers/crm-engage';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { touchpointsOf } from '../helpers/tracking';

describe('CRM cadence and public pool', () => {
  let app: BootedStrapi;
  let owner: TestAdmin;
  let colleague: TestAdmin;

  beforeAll(async () => {
    app = await bootStrapi();
    owner = await testAdmin(app);
    colleague = await testAdmin(app);
    // the shop works Monday to Friday, 10:00 in Shanghai
    setCrmConfig(app.strapi, 'cadence', { days: [1, 3, 7], workingDays: [1, 2, 3, 4, 5], timeOfDay: '10:00', timeZone: 'Asia/Shanghai' });
    // the scheduled release is off: the test calls release() itself, on its own clock
    setCrmConfig(app.strapi, 'pool', { releaseAfterDays: 5, enabled: false });
  });
  afterAll(async () => {
    crmClock(app.strapi).set(null);
    await app?.destroy();
  });

  const customer = async () =>
    (await app.strapi.plugin('crm').service('customers').identify({ email: `buyer-${randomUUID().slice(0, 8)}@acme-${randomUUID().slice(0, 4)}.example` })).documentId as string;
  const newInquiry = async (data: Record<string, unknown> = {}) =>
    (await app.strapi.documents(INQUIRY).create({ data: { customer: await customer(), productTitle: 'Industrial Widget', quantity: 200, owner: owner.documentId, ...data } as any }))
      .documentId as string;
  const tasksOf = async (inquiryId: string) =>
    (await app.strapi.documents(FOLLOW_UP).findMany({ filters: { inquiry: { documentId: inquiryId }, kind: 'task' }, populate: ['by'], sort: 'cadenceStep:asc' })) as any[];
  const auth = (admin: TestAdmin) => ({ Authorization: `Bearer ${admin.jwt}` });

  it('creates tasks due on day 1, 3 and 7 at 10:00 shop time, moved off the weekend, for the owner', async () => {
    // Thursday 8 January 2026, 17:30 in Shanghai
    crmClock(app.strapi).set('2026-01-08T09:30:00Z');
    const inquiryId = await newInquiry();
    const tasks = await tasksOf(inquiryId);
    expect(tasks.map((t) => [t.cadenceStep, new Date(t.dueAt).toISOString(), t.status, t.by?.id])).toEqual([
      [1, '2026-01-09T02:00:00.000Z', 'open', owner.id], // Friday 10:00 CST
      [3, '2026-01-12T02:00:00.000Z', 'open', owner.id], // Sunday → Monday
      [7, '2026-01-15T02:00:00.000Z', 'open', owner.id], // Thursday
    ]);
    const inquiry = await app.strapi.documents(INQUIRY).findOne({ documentId: inquiryId });
    expect(new Date(inquiry?.nextFollowUpAt as string).toISOString()).toBe('2026-01-09T02:00:00.000Z');
  });

  it('follows the configured days and working days', async () => {
    setCrmConfig(app.strapi, 'cadence', { days: [2, 5], workingDays: [0, 1, 2, 3, 4], timeZone: 'UTC', timeOfDay: '08:30' });
    try {
      crmClock(app.strapi).set('2026-01-08T09:30:00Z'); // Thursday
      const tasks = await tasksOf(await newInquiry());
      // day 2 = Saturday → Sunday (a working day here); day 5 = Tuesday
      expect(tasks.map((t) => new Date(t.dueAt).toISOString())).toEqual(['2026-01-11T08:30:00.000Z', '2026-01-13T08:30:00.000Z']);
    } finally {
      setCrmConfig(app.strapi, 'cadence', { days: [1, 3, 7], workingDays: [1, 2, 3, 4, 5], timeOfDay: '10:00', timeZone: 'Asia/Shanghai' });
    }
  });

  it('lists overdue tasks; a logged follow-up completes the due ones; moving on cancels the rest', async () => {
    crmClock(app.strapi).set('2026-01-08T09:30:00Z');
    const inquiryId = await newInquiry();
    crmClock(app.strapi).set('2026-01-10T12:00:00Z');
    const overdue = await app.request.get('/crm/follow-ups/overdue?mine=true').set(auth(owner));
    expect(overdue.status, JSON.stringify(overdue.body)).toBe(200);
    const mine = overdue.body.data.filter((t: any) => t.inquiry?.documentId === inquiryId);
    expect(mine.map((t: any) => t.cadenceStep)).toEqual([1]);

    await app.strapi.documents(FOLLOW_UP).create({ data: { inquiry: inquiryId, kind: 'log', channel: 'email', note: 'sent the catalogue', at: '2026-01-10T12:00:00Z', by: owner.documentId } as any });
    expect((await tasksOf(inquiryId)).map((t) => [t.cadenceStep, t.status])).toEqual([
      [1, 'done'],
      [3, 'open'],
      [7, 'open'],
    ]);
    const contacted = (await app.strapi.documents(INQUIRY).findOne({ documentId: inquiryId, populate: ['customer'] })) as any;
    expect(new Date(contacted.lastFollowUpAt).toISOString()).toBe('2026-01-10T12:00:00.000Z');
    expect(new Date(contacted.nextFollowUpAt).toISOString()).toBe('2026-01-12T02:00:00.000Z');
    const buyer = (await app.strapi.documents(CUSTOMER).findOne({ documentId: contacted.customer.documentId })) as any;
    expect(new Date(buyer.lastFollowUpAt).toISOString()).toBe('2026-01-10T12:00:00.000Z');

    // still in the cadence while contacted; quoted moves it on
    await app.strapi.documents(INQUIRY).update({ documentId: inquiryId, data: { status: 'contacted' } as any });
    expect((await tasksOf(inquiryId)).filter((t) => t.status === 'open')).toHaveLength(2);
    await app.strapi.documents(INQUIRY).update({ documentId: inquiryId, data: { status: 'quoted' } as any });
    expect((await tasksOf(inquiryId)).map((t) => [t.cadenceStep, t.status])).toEqual([
      [1, 'done'],
      [3, 'cancelled'],
      [7, 'cancelled'],
    ]);
    expect((await app.strapi.documents(INQUIRY).findOne({ documentId: inquiryId }))?.nextFollowUpAt).toBeNull();
  });

  it('releases idle customers and inquiries to the pool after N days, claimed by another salesperson; both on the timeline', async () => {
    crmClock(app.strapi).set('2026-02-01T09:00:00Z');
    const idleCustomer = await customer();
    const busyCustomer = await customer();
    await app.strapi.documents(CUSTOMER).update({ documentId: idleCustomer, data: { owner: owner.documentId, ownedSince: '2026-02-01T09:00:00Z' } as any });
    await app.strapi.documents(CUSTOMER).update({ documentId: busyCustomer, data: { owner: owner.documentId, ownedSince: '2026-02-01T09:00:00Z' } as any });
    const inquiryId = await newInquiry({ ownedSince: '2026-02-01T09:00:00Z' });

    // day 4: nothing idle yet; the busy customer gets a follow-up logged
    crmClock(app.strapi).set('2026-02-05T09:00:00Z');
    await app.strapi.documents(FOLLOW_UP).create({ data: { customer: busyCustomer, kind: 'log', channel: 'phone', by: owner.documentId } as any });
    let released = await app.strapi.plugin('crm').service('pool').release();
    expect(released.customers).not.toContain(idleCustomer);

    // day 6: the idle ones (5 days without a logged follow-up) go back to the pool
    crmClock(app.strapi).set('2026-02-06T09:00:01Z');
    released = await app.strapi.plugin('crm').service('pool').release();
    expect(released.customers).toContain(idleCustomer);
    expect(released.customers).not.toContain(busyCustomer);
    expect(released.inquiries).toContain(inquiryId);
    expect(((await app.strapi.documents(CUSTOMER).findOne({ documentId: idleCustomer, populate: ['owner'] })) as any).owner).toBeNull();
    expect(((await app.strapi.documents(CUSTOMER).findOne({ documentId: busyCustomer, populate: ['owner'] })) as any).owner?.id).toBe(owner.id);
    const inquiry = (await app.strapi.documents(INQUIRY).findOne({ documentId: inquiryId, populate: ['owner', 'customer'] })) as any;
    expect(inquiry.owner).toBeNull();
    expect((await tasksOf(inquiryId)).filter((t) => t.status === 'open').every((t) => t.by === null)).toBe(true);

    const pool = await app.request.get('/crm/pool').set(auth(colleague));
    expect(pool.status).toBe(200);
    expect(pool.body.data.customer.map((c: any) => c.documentId)).toContain(idleCustomer);
    expect(pool.body.data.inquiry.map((i: any) => i.documentId)).toContain(inquiryId);

    crmClock(app.strapi).set('2026-02-06T10:00:00Z');
    const claim = await app.request.post('/crm/pool/claim').set(auth(colleague)).send({ kind: 'customer', documentId: idleCustomer });
    expect(claim.status).toBe(200);
    expect(((await app.strapi.documents(CUSTOMER).findOne({ documentId: idleCustomer, populate: ['owner'] })) as any).owner?.id).toBe(colleague.id);
    const again = await app.request.post('/crm/pool/claim').set(auth(owner)).send({ kind: 'customer', documentId: idleCustomer });
    expect(again.status).toBe(409);
    expect((await app.request.post('/crm/pool/claim').set(auth(owner)).send({ kind: 'customer', documentId: 'nope' })).status).toBe(404);
    expect((await app.request.post('/crm/pool/claim').set(auth(owner)).send({ kind: 'company', documentId: idleCustomer })).status).toBe(400);
    const inquiryClaim = await app.request.post('/crm/pool/claim').set(auth(colleague)).send({ kind: 'inquiry', documentId: inquiryId });
    expect(inquiryClaim.status).toBe(200);
    // its open cadence tasks follow it to the new owner
    expect((await tasksOf(inquiryId)).filter((t) => t.status === 'open').map((t) => t.by?.id)).toEqual([colleague.id, colleague.id, colleague.id]);

    // the timeline says who lost and who took the customer, and when
    const timeline = (await touchpointsOf(app.strapi, { customer_id: idleCustomer })).filter((t) => t.type.startsWith('pool_'));
    expect(timeline.map((t) => [t.type, new Date(t.occurred_at).toISOString(), t.properties.kind])).toEqual([
      ['pool_released', '2026-02-06T09:00:01.000Z', 'customer'],
      ['pool_claimed', '2026-02-06T10:00:00.000Z', 'customer'],
    ]);
    expect(timeline[0].properties.previousOwner.id).toBe(owner.id);
    expect(timeline[1].properties.by.id).toBe(colleague.id);
    const inquiryTimeline = (await touchpointsOf(app.strapi, { customer_id: inquiry.customer.documentId })).filter((t) => t.type.startsWith('pool_'));
    expect(inquiryTimeline.map((t) => [t.type, t.properties.kind])).toEqual([
      ['pool_released', 'inquiry'],
      ['pool_claimed', 'inquiry'],
    ]);
    // nothing idle is left to release right after
    expect(await app.strapi.plugin('crm').service('pool').release()).toEqual({ customers: [], inquiries: [] });
  });
});
