/**
 * Lifecycle flows on real Redis/BullMQ and a real SMTP sink, on the flow clock: touchpoints
 * stored by tracking start enrollments out of the request path; the scheduler sends each step
 * once; goals end enrollments; date triggers fire on the customer's own day once a year; branches
 * split by customer; definitions are checked; the admin API has its permissions.
 */
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminJwt, createAdminInRole, createAdminWithRole, createRoleWithActions } from '../helpers/admin';
import { createTestTemplate, deliveryEnv } from '../helpers/email-delivery';
import { uniqueQueuePrefix } from '../helpers/redis';
import { type SmtpSink, startSmtpSink } from '../helpers/smtp';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, newId } from '../helpers/tracking';
import { until } from '../helpers/until';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHOP = 'https://flowshop.example';
const uid = () => randomUUID().slice(0, 8);

type FlowsService = {
  clock: { set(at: number | null): void; advance(ms: number): void; now(): number };
  tick(): Promise<number>;
  idle(): Promise<void>;
};
const flows = (strapi: Core.Strapi) => strapi.plugin('lifecycle-email').service('flows') as FlowsService;

describe('lifecycle flows', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;
  let superJwt: string;
  const auth = () => ({ Authorization: `Bearer ${superJwt}` });

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await bootStrapi({ env: deliveryEnv(sink.port, uniqueQueuePrefix(), { MOAT_FLOW_TICK_MS: '200', MOAT_SHOP_NAME: 'Flow Test Shop', MOAT_SITES: `flowshop=${SHOP}` }) });
    superJwt = await adminJwt(app.request, await createAdminWithRole(app.strapi, 'strapi-super-admin'));
  });
  afterAll(async () => {
    if (app) flows(app.strapi).clock.set(null);
    await app?.destroy();
    await sink?.close();
  });

  const mailTo = (to: string) => sink.messages.filter((m) => m.envelope.to.includes(to));
  const customer = async (name = 'Ada Lovelace') => {
    const email = `flow-${uid()}@buyer.example`;
    const { documentId } = await app.strapi.plugin('crm').service('customers').identify({ email, name });
    return { email, id: documentId as string };
  };
  const record = (type: string, customerId: string, properties: Record<string, unknown> = {}, occurredAt = Date.now()) =>
    app.strapi.plugin('tracking').service('touchpoints').record({ type, channel: 'web', site: 'flowshop', customerId, occurredAt, properties, dedupeKey: `${type}:${uid()}` });
  const enrollmentsOf = (customerId: string) => app.strapi.db.connection('moat_flow_enrollments').where({ customer_id: customerId }).orderBy('id');
  const flowMessages = (customerId: string) => app.strapi.db.connection('moat_messages').where({ customer_id: customerId }).whereNotNull('flow_id').orderBy('id');
  const prebuilt = async (key: string) => {
    const list = await app.request.get('/lifecycle-email/flows').set(auth());
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    return list.body.flows.find((f: { key: string }) => f.key === key) as { id: number; enabled: boolean; definition: { steps: unknown[] } };
  };
  const enable = async (key: string) => {
    const flow = await prebuilt(key);
    expect(flow.enabled).toBe(false); // seeded OFF
    const res = await app.request.put(`/lifecycle-email/flows/${flow.id}`).set(auth()).send({ enabled: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return flow.id;
  };

  it('welcome series: day 0 at once, day 3 after the clock moves, and a purchase ends it (no day-7 mail)', async () => {
    const flowId = await enable('welcome-series');
    const clock = flows(app.strapi).clock;
    const t0 = Date.now();
    clock.set(t0);
    const c = await customer();
    await record('identify', c.id, { email: c.email });

    await until('the day-0 welcome', async () => mailTo(c.email).length === 1);
    expect(mailTo(c.email)[0].parsed.subject).toBe('Welcome to Flow Test Shop');
    expect(mailTo(c.email)[0].parsed.text).toContain('Hi Ada');
    const [enrollment] = await enrollmentsOf(c.id);
    expect([enrollment.state, Number(enrollment.step), Number(enrollment.next_run_at)]).toEqual(['active', 2, t0 + 3 * DAY]);

    // day 2: nothing due yet
    clock.set(t0 + 2 * DAY);
    await flows(app.strapi).tick();
    expect(await flowMessages(c.id)).toHaveLength(1);

    clock.set(t0 + 3 * DAY + 1);
    await flows(app.strapi).tick();
    await until('the day-3 welcome', async () => mailTo(c.email).length === 2);
    const keys = (await flowMessages(c.id)).map((m: { idempotency_key: string }) => m.idempotency_key);
    expect(keys).toEqual([`flow:${flowId}:${enrollment.id}:0`, `flow:${flowId}:${enrollment.id}:2`]);

    await record('order_placed', c.id, { order_id: uid(), total: '10.00', currency: 'USD' });
    const [ended] = await until('the purchase goal', async () => {
      const rows = await enrollmentsOf(c.id);
      return rows[0].state === 'exited' && rows;
    });
    expect(ended.reason).toBe('goal:purchase');

    clock.set(t0 + 8 * DAY);
    await flows(app.strapi).tick();
    expect(await flowMessages(c.id)).toHaveLength(2);
    expect(mailTo(c.email)).toHaveLength(2);

    // the admin list counts it: sends at steps 0 and 2, the exit where it stood (step 4)
    const listed = await prebuilt('welcome-series');
    const steps = (listed as unknown as { steps: Array<{ index: number; sent: number; exited: number }> }).steps;
    expect(steps[0].sent).toBeGreaterThanOrEqual(1);
    expect(steps[2].sent).toBeGreaterThanOrEqual(1);
    expect(steps[4].exited).toBeGreaterThanOrEqual(1);
    expect((listed as unknown as { enrollments: { exited: number } }).enrollments.exited).toBeGreaterThanOrEqual(1);
  });

  it('abandoned cart: fires once, after the wait, naming the cart products', async () => {
    const flowId = await enable('abandoned-cart');
    const catalog = app.strapi.plugin('tracking').service('catalog');
    const [lantern, kettle] = [`lantern-${uid()}`, `kettle-${uid()}`];
    await catalog.upsert([
      { site: 'flowshop', key: lantern, title: 'Brass Lantern XL', variants: [{ id: `${lantern}-v`, title: 'Default' }] },
      { site: 'flowshop', key: kettle, title: 'Copper Kettle', variants: [{ id: `${kettle}-v`, title: 'Default' }] },
    ]);
    const clock = flows(app.strapi).clock;
    const t0 = Date.now();
    clock.set(t0);
    const c = await customer('Grace Hopper');
    await record('cart_add', c.id, { items: [{ variant_id: `${lantern}-v`, quantity: 2 }] });
    await until('the enrollment', async () => (await enrollmentsOf(c.id)).find((e: { flow_id: number }) => Number(e.flow_id) === flowId));
    await record('cart_add', c.id, { items: [{ product_id: kettle, quantity: 1 }] });
    // a line added and removed again is not in the mail
    const vase = `vase-${uid()}`;
    await record('cart_add', c.id, { items: [{ product_id: vase, title: 'Glass Vase', quantity: 1 }] });
    await record('cart_remove', c.id, { items: [{ product_id: vase }] }, Date.now() + 1);
    await until('the removal in the enrollment', async () => {
      const [e] = (await enrollmentsOf(c.id)).filter((x: { flow_id: number }) => Number(x.flow_id) === flowId);
      return JSON.parse(e.context).events?.length === 3;
    });

    clock.set(t0 + 3 * HOUR);
    await flows(app.strapi).tick();
    expect(mailTo(c.email)).toHaveLength(0);

    clock.set(t0 + 4 * HOUR + 1);
    await flows(app.strapi).tick();
    const [message] = await until('the cart message', async () => {
      const rows = await flowMessages(c.id);
      return rows.length > 0 && ['sent', 'failed', 'skipped'].includes(rows[0].status) && rows;
    });
    expect([message.status, message.reason]).toEqual(['sent', null]);
    await until('the cart mail', async () => mailTo(c.email).length === 1);
    const mail = mailTo(c.email)[0].parsed;
    expect(mail.subject).toBe('You left something in your cart at Flow Test Shop');
    expect(mail.text).toContain('Brass Lantern XL × 2');
    expect(mail.text).toContain('Copper Kettle × 1');
    expect(mail.text).not.toContain('Glass Vase');

    // more cart activity the same week starts nothing new (re-entry: after 7 days)
    await record('cart_add', c.id, { items: [{ product_id: kettle, quantity: 1 }] });
    await flows(app.strapi).idle();
    clock.set(t0 + 10 * HOUR);
    await flows(app.strapi).tick();
    await new Promise((r) => setTimeout(r, 300));
    expect(mailTo(c.email)).toHaveLength(1);
    const mine = (await enrollmentsOf(c.id)).filter((e: { flow_id: number }) => Number(e.flow_id) === flowId);
    expect(mine.map((e: { state: string; reason: string }) => [e.state, e.reason])).toEqual([['completed', 'done']]);
  });

  it('abandoned checkout (Shopify): the checkout_abandoned touchpoint sends its lines by name and the recovery link, once', async () => {
    const flowId = await enable('abandoned-checkout');
    const c = await customer('Lena Hoffmann');
    const recovery = `https://shop.example.com/checkouts/${uid()}/recover?key=abc`;
    const abandoned = (key: string) =>
      app.strapi.plugin('tracking').service('touchpoints').record({
        type: 'checkout_abandoned',
        channel: 'shopify',
        site: 'moat-flows.myshopify.com',
        customerId: c.id,
        occurredAt: Date.now(),
        url: recovery,
        properties: { checkout_token: key, items: [{ name: 'Stainless steel hex bolt M10 - 20 mm', quantity: 2000 }, { name: 'Hex nut M10', quantity: 400 }], total: '908.00', currency: 'EUR', recovery_url: recovery },
        dedupeKey: `shopify:checkout:${key}:abandoned`,
      });
    await abandoned(uid());
    await until('the checkout mail', async () => mailTo(c.email).length === 1);
    const mail = mailTo(c.email)[0].parsed;
    expect(mail.subject).toBe('You left something in your cart at Flow Test Shop');
    expect(mail.text).toContain('Stainless steel hex bolt M10 - 20 mm × 2000');
    expect(mail.text).toContain('Hex nut M10 × 400');
    // the button leads back into that checkout (through the signed click redirect)
    const click = String(mail.html).match(/href="([^"]*\/c\/[^"]+)"[^>]*>\s*Back to your cart/)?.[1];
    expect(click, 'a tracked link on the button').toBeTruthy();
    const res = await app.request.get(new URL(click as string).pathname);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(recovery);
    // another abandoned checkout the same week: no second mail (re-entry after 7 days)
    await abandoned(uid());
    await flows(app.strapi).idle();
    await flows(app.strapi).tick();
    await new Promise((r) => setTimeout(r, 300));
    expect(mailTo(c.email)).toHaveLength(1);
    expect((await enrollmentsOf(c.id)).filter((e: { flow_id: number }) => Number(e.flow_id) === flowId)).toHaveLength(1);
  });

  it('a cart built on the storefront (POST /moat/collect) enrolls the identified visitor once stored', async () => {
    const email = `collect-${uid()}@buyer.example`;
    const events = [{ type: 'identify', props: { email } }, { type: 'cart_add', props: { items: [{ product_id: `stool-${uid()}`, title: 'Teak Stool', quantity: 3 }] } }];
    const res = await app.request.post('/moat/collect').set('User-Agent', CHROME_UA).set('Origin', SHOP).set('Content-Type', 'text/plain;charset=UTF-8').send(JSON.stringify(batch('flowshop', newId(), events)));
    expect(res.status).toBe(202);
    const customerId = await until('the customer', async () => (await app.strapi.plugin('crm').service('customers').findByEmail(email))?.documentId as string | undefined);
    const cartFlow = await prebuilt('abandoned-cart');
    const [enrollment] = await until('the enrollment', async () => {
      const rows = (await enrollmentsOf(customerId)).filter((e: { flow_id: number }) => Number(e.flow_id) === cartFlow.id);
      return rows.length > 0 && rows;
    });
    expect(enrollment.state).toBe('active');
    expect(JSON.parse(enrollment.context).trigger.properties.items[0].title).toBe('Teak Stool');
  });

  it('an order within the wait means no cart mail', async () => {
    const clock = flows(app.strapi).clock;
    const t0 = Date.now();
    clock.set(t0);
    const c = await customer();
    await record('cart_add', c.id, { items: [{ title: 'Silk Scarf', quantity: 1 }] });
    await until('the enrollment', async () => (await enrollmentsOf(c.id)).length > 0);
    await record('order_placed', c.id, { order_id: uid() });
    await until('the purchase goal', async () => (await enrollmentsOf(c.id)).every((e: { state: string }) => e.state === 'exited'));
    clock.set(t0 + 5 * HOUR);
    await flows(app.strapi).tick();
    expect(await flowMessages(c.id)).toHaveLength(0);
  });

  it('inquiry nurture: day 1 at 10:00 on a weekday in the buyer\'s time zone, stopped when the inquiry moves on', async () => {
    const flowId = await enable('inquiry-nurture');
    const clock = flows(app.strapi).clock;
    // Thursday 8 January 2026, 17:30 in Shanghai
    clock.set(Date.parse('2026-01-08T09:30:00Z'));
    const c = await customer('Wang Fang');
    await app.strapi.documents('plugin::crm.customer' as never).update({ documentId: c.id, data: { timeZone: 'Asia/Shanghai' } } as never);
    const inquiries = app.strapi.plugin('crm').service('inquiries');
    const { documentId: inquiryId } = await inquiries.create({ customerId: c.id, channel: 'form', product: { key: `led-${uid()}`, title: 'LED Panel 60x60' }, quantity: 200 });
    const mine = async () => (await enrollmentsOf(c.id)).filter((e: { flow_id: number }) => Number(e.flow_id) === flowId);
    const [started] = await until('the enrollment', async () => {
      const rows = await mine();
      return rows.length > 0 && Number(rows[0].step) === 1 && rows;
    });
    expect(Number(started.next_run_at)).toBe(Date.parse('2026-01-09T09:30:00Z'));

    // day 1 is Friday 17:30 there: 10:00 has passed, so Monday 10:00 Shanghai
    clock.set(Date.parse('2026-01-09T09:31:00Z'));
    await flows(app.strapi).tick();
    expect(Number((await mine())[0].next_run_at)).toBe(Date.parse('2026-01-12T02:00:00Z'));
    expect(mailTo(c.email)).toHaveLength(0);

    clock.set(Date.parse('2026-01-12T02:00:00Z'));
    await flows(app.strapi).tick();
    await until('the first follow-up', async () => mailTo(c.email).length === 1);
    expect(mailTo(c.email)[0].parsed.text).toContain('LED Panel 60x60');

    await inquiries.setStatus(inquiryId, 'contacted');
    await until('the inquiry goal', async () => (await mine())[0].state === 'exited');
    expect((await mine())[0].reason).toBe('goal:inquiry_moved');
    clock.set(Date.parse('2026-01-20T02:00:00Z'));
    await flows(app.strapi).tick();
    expect(await flowMessages(c.id)).toHaveLength(1);
  });

  /** a template of this test's own whose subject names it (no variables) */
  const plainTemplate = (subject: string) => createTestTemplate(app.strapi, subject, '<mjml><mj-body><mj-section><mj-column><mj-text>Hello</mj-text></mj-column></mj-section></mj-body></mjml>');
  const createFlow = async (definition: Record<string, unknown>) => {
    const res = await app.request.post('/lifecycle-email/flows').set(auth()).send({ key: `f-${uid()}`, name: 'Test flow', enabled: true, definition });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.flow.id as number;
  };
  const setCustomer = (documentId: string, data: Record<string, unknown>) => app.strapi.documents('plugin::crm.customer' as never).update({ documentId, data } as never);

  it("a first-order anniversary fires on the day in the customer's own time zone, once a year", async () => {
    const template = await plainTemplate(`Anniversary ${uid()}`);
    const flowId = await createFlow({ trigger: { on: 'date', field: 'firstOrderAt' }, steps: [{ type: 'send', template, kind: 'transactional' }], reentry: { mode: 'always' } });
    const tokyo = await customer('Tokyo Buyer');
    const la = await customer('LA Buyer');
    // Tokyo: 5 December 05:00 local (4 December in UTC); Los Angeles: 5 December 10:00 local
    await setCustomer(tokyo.id, { timeZone: 'Asia/Tokyo', firstOrderAt: '2029-12-04T20:00:00.000Z' });
    await setCustomer(la.id, { timeZone: 'America/Los_Angeles', firstOrderAt: '2029-12-05T18:00:00.000Z' });
    const clock = flows(app.strapi).clock;
    const sentTo = async () => {
      const rows = await app.strapi.db.connection('moat_messages').where({ flow_id: String(flowId) }).select('customer_id');
      return { tokyo: rows.filter((r: { customer_id: string }) => r.customer_id === tokyo.id).length, la: rows.filter((r: { customer_id: string }) => r.customer_id === la.id).length };
    };
    const at = async (iso: string) => {
      clock.set(Date.parse(iso));
      await flows(app.strapi).tick();
      await flows(app.strapi).tick();
      return sentTo();
    };
    try {
      // 4 December 12:00 UTC: the shop's (UTC) anniversary of Tokyo's order, but 21:00 on the 4th in Tokyo
      expect(await at('2030-12-04T12:00:00Z')).toEqual({ tokyo: 0, la: 0 });
      // 01:00 on the 5th in Tokyo (still the 4th in Los Angeles)
      expect(await at('2030-12-04T16:00:00Z')).toEqual({ tokyo: 1, la: 0 });
      expect(await at('2030-12-05T07:00:00Z')).toEqual({ tokyo: 1, la: 0 });
      // 01:00 on the 5th in Los Angeles; Tokyo's day is still the 5th: no second mail
      expect(await at('2030-12-05T09:00:00Z')).toEqual({ tokyo: 1, la: 1 });
      expect(await at('2030-12-06T09:00:00Z')).toEqual({ tokyo: 1, la: 1 });
      // a year on: once more each
      expect(await at('2031-12-04T16:00:00Z')).toEqual({ tokyo: 2, la: 1 });
      expect(await at('2031-12-05T09:00:00Z')).toEqual({ tokyo: 2, la: 2 });
      expect(await at('2031-12-05T10:00:00Z')).toEqual({ tokyo: 2, la: 2 });
    } finally {
      clock.set(null);
      await app.request.put(`/lifecycle-email/flows/${flowId}`).set(auth()).send({ enabled: false });
    }
    await until('four anniversary mails', async () => mailTo(tokyo.email).length === 2 && mailTo(la.email).length === 2);
    const enrollments = await app.strapi.db.connection('moat_flow_enrollments').where({ flow_id: flowId });
    expect(enrollments.map((e: { trigger_key: string }) => e.trigger_key.replace(tokyo.id, 'tokyo').replace(la.id, 'la')).sort()).toEqual([`${flowId}:date:la:2030`, `${flowId}:date:la:2031`, `${flowId}:date:tokyo:2030`, `${flowId}:date:tokyo:2031`]);
  });

  it('order milestone: the 5th order, counted from the orders themselves (Shopify string totals), sends one mail', async () => {
    const flowId = await enable('order-milestone');
    const c = await customer('Milo Buyer');
    const t0 = Date.now() - 60_000;
    // the way Shopify's orders arrive: total as a string; the 5th and 6th stored back to back
    const order = (n: number) => record('order_placed', c.id, { order_id: `${uid()}-${n}`, total: `${n}0.00`, currency: 'EUR' }, t0 + n * 1000);
    const milestoneMessages = async () => (await flowMessages(c.id)).filter((m: { flow_id: string }) => m.flow_id === String(flowId));
    try {
      for (let n = 1; n <= 4; n++) await order(n);
      const counted = await until('four orders on the customer', async () => {
        const row = (await app.strapi.documents('plugin::crm.customer' as never).findOne({ documentId: c.id } as never)) as { ordersCount: number; totalSpent: unknown } | null;
        return row?.ordersCount === 4 && row;
      });
      expect(Number(counted.totalSpent)).toBe(100);
      await flows(app.strapi).idle();
      expect(await milestoneMessages()).toHaveLength(0);
      await order(5);
      await order(6);
      const [message] = await until('the milestone message', async () => {
        const rows = await milestoneMessages();
        return rows.length > 0 && ['sent', 'failed', 'skipped'].includes(rows[0].status) && rows;
      });
      expect([message.status, message.reason]).toEqual(['sent', null]);
      await flows(app.strapi).idle();
      await flows(app.strapi).tick();
      await new Promise((r) => setTimeout(r, 300));
      expect(await milestoneMessages()).toHaveLength(1);
      const [enrollment] = (await enrollmentsOf(c.id)).filter((e: { flow_id: number }) => Number(e.flow_id) === flowId);
      expect(JSON.parse(enrollment.context).trigger.properties.order_id).toMatch(/-5$/);
      await until('the milestone mail', async () => mailTo(c.email).length === 1);
    } finally {
      await app.request.put(`/lifecycle-email/flows/${flowId}`).set(auth()).send({ enabled: false });
    }
  });

  const sentBy = async (flowId: number, customerId: string) => (await flowMessages(customerId)).filter((m: { flow_id: string; status: string }) => m.flow_id === String(flowId) && m.status === 'sent').length;
  const at = async (iso: string) => {
    flows(app.strapi).clock.set(Date.parse(iso));
    await flows(app.strapi).tick();
    await flows(app.strapi).tick();
  };

  it("birthday (prebuilt): on the buyer's own day at 09:00 their time, once a year; 29 February is greeted on the 28th", async () => {
    const flowId = await enable('birthday');
    const tokyo = await customer('Haruki Tokyo');
    const la = await customer('Lana Angeles');
    const leap = await customer('Lea Berlin');
    await setCustomer(tokyo.id, { timeZone: 'Asia/Tokyo', birthday: '1990-12-05' });
    await setCustomer(la.id, { timeZone: 'America/Los_Angeles', birthday: '1985-12-05' });
    await setCustomer(leap.id, { timeZone: 'Europe/Berlin', birthday: '2000-02-29' });
    const sent = async () => ({ tokyo: await sentBy(flowId, tokyo.id), la: await sentBy(flowId, la.id), leap: await sentBy(flowId, leap.id) });
    try {
      // 01:00 on 5 December in Tokyo: enrolled, waiting for 09:00 there (00:00 UTC)
      await at('2030-12-04T16:00:00Z');
      expect(await sent()).toEqual({ tokyo: 0, la: 0, leap: 0 });
      await at('2030-12-05T00:00:01Z');
      await until('the Tokyo greeting', async () => (await sent()).tokyo === 1);
      // 01:00 on the 5th in Los Angeles; its 09:00 is 17:00 UTC
      await at('2030-12-05T09:00:00Z');
      expect((await sent()).la).toBe(0);
      await at('2030-12-05T17:00:01Z');
      await until('the Los Angeles greeting', async () => (await sent()).la === 1);
      await at('2030-12-06T17:00:00Z');
      // 2031 has no 29 February: 00:30 on the 28th in Berlin, sent at 09:00 there
      await at('2031-02-27T23:30:00Z');
      await at('2031-02-28T08:00:01Z');
      await until('the leap-day greeting', async () => (await sent()).leap === 1);
      await at('2031-03-01T08:00:01Z');
      expect(await sent()).toEqual({ tokyo: 1, la: 1, leap: 1 });
    } finally {
      flows(app.strapi).clock.set(null);
      await app.request.put(`/lifecycle-email/flows/${flowId}`).set(auth()).send({ enabled: false });
    }
    await until('three birthday mails', async () => mailTo(tokyo.email).length === 1 && mailTo(la.email).length === 1 && mailTo(leap.email).length === 1);
    expect(mailTo(la.email)[0].parsed.subject).toBe('Happy birthday, Lana!');
  });

  it('VIP welcome (prebuilt): orders that lift a buyer to big B move the tier on the timeline and send it once, at 10:00', async () => {
    const flowId = await enable('vip-tier');
    const c = await customer('Vera Importer');
    try {
      await record('order_placed', c.id, { order_id: uid(), total: '15000.00', currency: 'USD' });
      await record('order_placed', c.id, { order_id: uid(), total: '6000.00', currency: 'USD' });
      await until('the order totals', async () => {
        const row = (await app.strapi.documents('plugin::crm.customer' as never).findOne({ documentId: c.id } as never)) as { totalSpent: unknown } | null;
        return Number(row?.totalSpent) === 21000;
      });
      await app.strapi.plugin('crm').service('scoring').recompute(c.id);
      const [change] = await until('the tier change on the timeline', async () => {
        const rows = await app.strapi.db.connection('moat_touchpoints').where({ customer_id: c.id, type: 'tier_changed' });
        return rows.length > 0 && rows;
      });
      expect(typeof change.properties === 'string' ? JSON.parse(change.properties) : change.properties).toMatchObject({ from: null, to: 'big_b', reasons: ['spent 21000 ≥ 20000'] });
      const vip = await until('the VIP enrollment', async () => (await enrollmentsOf(c.id)).find((e: { flow_id: number }) => Number(e.flow_id) === flowId));
      // waiting for the next 10:00 in the shop's zone (UTC here: the customer has none)
      const due = Number(vip.next_run_at);
      expect([new Date(due).getUTCHours(), new Date(due).getUTCMinutes(), due > Date.now(), due - Date.now() <= 86_400_000]).toEqual([10, 0, true, true]);
      await at(new Date(due - 60_000).toISOString());
      expect(await sentBy(flowId, c.id)).toBe(0);
      await at(new Date(due + 1_000).toISOString());
      await until('the VIP mail', async () => (await sentBy(flowId, c.id)) === 1);
      // scored again, still big B: no second change, no second mail
      flows(app.strapi).clock.set(null);
      await app.strapi.plugin('crm').service('scoring').recompute(c.id);
      await flows(app.strapi).idle();
      await at(new Date(due + 2 * 86_400_000).toISOString());
      expect(await app.strapi.db.connection('moat_touchpoints').where({ customer_id: c.id, type: 'tier_changed' })).toHaveLength(1);
      expect(await sentBy(flowId, c.id)).toBe(1);
    } finally {
      flows(app.strapi).clock.set(null);
      await app.request.put(`/lifecycle-email/flows/${flowId}`).set(auth()).send({ enabled: false });
    }
    await until('the VIP mail delivered', async () => mailTo(c.email).length === 1);
    expect(mailTo(c.email)[0].parsed.subject).toBe('Welcome to our VIP buyers, Vera');
  });

  it('reorder reminder (prebuilt): 45 days after the last order, which the orders themselves set', async () => {
    const flowId = await enable('reorder-reminder');
    const c = await customer('Reo Reorder');
    try {
      await record('order_placed', c.id, { order_id: uid(), total: '320.00', currency: 'EUR' }, Date.parse('2031-01-10T12:00:00Z'));
      await until('the last order on the customer', async () => {
        const row = (await app.strapi.documents('plugin::crm.customer' as never).findOne({ documentId: c.id } as never)) as { lastOrderAt: string | null } | null;
        return row?.lastOrderAt && new Date(row.lastOrderAt).toISOString() === '2031-01-10T12:00:00.000Z';
      });
      await at('2031-02-23T12:00:00Z');
      expect(await sentBy(flowId, c.id)).toBe(0);
      await at('2031-02-24T00:30:00Z');
      await at('2031-02-24T10:00:01Z');
      await until('the reorder reminder', async () => (await sentBy(flowId, c.id)) === 1);
    } finally {
      flows(app.strapi).clock.set(null);
      await app.request.put(`/lifecycle-email/flows/${flowId}`).set(auth()).send({ enabled: false });
    }
  });

  it('an order that happened months ago (a backfill) starts no flow; one from today does', async () => {
    const template = await plainTemplate(`Thanks ${uid()}`);
    const flowId = await createFlow({ trigger: { on: 'event', events: ['order'] }, steps: [{ type: 'send', template, kind: 'transactional' }], reentry: { mode: 'always' } });
    const c = await customer('Bea Backfill');
    try {
      await record('order_placed', c.id, { order_id: uid(), total: '50.00' }, Date.now() - 90 * DAY);
      await record('order_placed', c.id, { order_id: uid(), total: '60.00' }, Date.now() - 73 * HOUR);
      await flows(app.strapi).idle();
      await flows(app.strapi).tick();
      expect((await enrollmentsOf(c.id)).filter((e: { flow_id: number }) => Number(e.flow_id) === flowId)).toHaveLength(0);
      // a webhook Shopify retried for two days still counts
      await record('order_placed', c.id, { order_id: uid(), total: '70.00' }, Date.now() - 47 * HOUR);
      await until('the enrollment of the recent order', async () => (await enrollmentsOf(c.id)).filter((e: { flow_id: number }) => Number(e.flow_id) === flowId).length === 1);
    } finally {
      await app.request.put(`/lifecycle-email/flows/${flowId}`).set(auth()).send({ enabled: false });
    }
  });

  it('a branch on the customer tier sends big_b buyers one template and other buyers another', async () => {
    const subjects = { big: `Wholesale ${uid()}`, other: `Thanks ${uid()}` };
    const big = await plainTemplate(subjects.big);
    const other = await plainTemplate(subjects.other);
    const flowId = await createFlow({
      trigger: { on: 'event', events: ['order'] },
      steps: [{ type: 'branch', if: { field: 'tier', op: 'eq', value: 'big_b' }, whenTrue: 1, whenFalse: 3 }, { type: 'send', template: big, kind: 'transactional' }, { type: 'exit', reason: 'big_b' }, { type: 'send', template: other, kind: 'transactional' }],
    });
    try {
      const wholesaler = await customer('Big Buyer');
      const consumer = await customer('Small Buyer');
      await setCustomer(wholesaler.id, { tier: 'big_b' });
      await setCustomer(consumer.id, { tier: 'consumer' });
      for (const c of [wholesaler, consumer]) await record('order_placed', c.id, { order_id: uid(), total: '12.00' });
      const templates = async (c: { id: string }) => (await app.strapi.db.connection('moat_messages').where({ flow_id: String(flowId), customer_id: c.id })).map((m: { template_key: string }) => m.template_key);
      await until('both branch mails', async () => mailTo(wholesaler.email).length === 1 && mailTo(consumer.email).length === 1);
      expect(await templates(wholesaler)).toEqual([big]);
      expect(await templates(consumer)).toEqual([other]);
      expect([mailTo(wholesaler.email)[0].parsed.subject, mailTo(consumer.email)[0].parsed.subject]).toEqual([subjects.big, subjects.other]);
      const states = await app.strapi.db.connection('moat_flow_enrollments').where({ flow_id: flowId }).orderBy('id');
      expect(states.map((e: { state: string; reason: string }) => [e.state, e.reason])).toEqual([
        ['exited', 'big_b'],
        ['completed', 'done'],
      ]);
    } finally {
      await app.request.put(`/lifecycle-email/flows/${flowId}`).set(auth()).send({ enabled: false });
    }
  });

  it('refuses an invalid definition with 400 naming the step and field', async () => {
    const post = (definition: unknown) => app.request.post('/lifecycle-email/flows').set(auth()).send({ key: `bad-${uid()}`, name: 'Bad', definition });
    const trigger = { on: 'event', events: ['signup'] };
    const missing = await post({ trigger, steps: [{ type: 'wait', days: 1 }, { type: 'send', kind: 'marketing' }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toContain('steps[1].template');
    const backwards = await post({ trigger, steps: [{ type: 'wait', days: 1 }, { type: 'send', template: 'Welcome', kind: 'marketing' }, { type: 'branch', if: { field: 'ordersCount', op: 'gt', value: 0 }, whenTrue: 0, whenFalse: 3 }] });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toContain('steps[2].whenTrue');
    // one entry per problem, each naming its place: the editor shows it at that step
    expect(backwards.body.error.details.problems).toEqual(['steps[2].whenTrue: a branch jumps forward only (to a step after 2)']);
    const badTime = await post({ trigger, steps: [{ type: 'wait_until', time: '25:00' }] });
    expect(badTime.status).toBe(400);
    expect(badTime.body.error.message).toContain('steps[0].time');
    const tooMany = await post({ trigger, steps: Array.from({ length: 31 }, () => ({ type: 'wait', hours: 1 })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain('steps');

    const ok = await post({ trigger, steps: [{ type: 'wait', days: 1 }, { type: 'send', template: 'Welcome', kind: 'marketing' }] });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.flow).toMatchObject({ enabled: false, version: 1 });
    const changed = await app.request.put(`/lifecycle-email/flows/${ok.body.flow.id}`).set(auth()).send({ definition: { trigger, steps: [{ type: 'exit', reason: 'x' }, { type: 'nope' }] } });
    expect(changed.status).toBe(400);
    expect(changed.body.error.message).toContain('steps[1].type');
    expect((await app.request.put('/lifecycle-email/flows/999999').set(auth()).send({ enabled: true })).status).toBe(404);
  });

  it('lists what a definition may name, for the editor\'s pickers', async () => {
    const res = await app.request.get('/lifecycle-email/flows').set(auth());
    expect(res.status).toBe(200);
    expect(res.body.vocabulary.events).toEqual(expect.arrayContaining(['signup', 'inquiry_changed', 'form_submit', 'cart_add', 'order_placed']));
    expect(res.body.vocabulary.customerFields).toContain('ordersCount');
    expect(res.body.vocabulary.dateFields).toEqual(['birthday', 'firstOrderAt', 'lastOrderAt']);
  });

  it('guards the flow routes: 401 without a login, 403 without the action, 200 with it', async () => {
    const paths = ['/lifecycle-email/flows', '/lifecycle-email/flows/1/enrollments'];
    for (const path of paths) expect((await app.request.get(path)).status).toBe(401);
    const editor = await adminJwt(app.request, await createAdminWithRole(app.strapi, 'strapi-editor'));
    const reader = await adminJwt(app.request, await createAdminInRole(app.strapi, await createRoleWithActions(app.strapi, 'flow reader', ['plugin::lifecycle-email.flows.read'])));
    const as = (jwt: string) => ({ Authorization: `Bearer ${jwt}` });
    const body = { key: `p-${uid()}`, name: 'P', definition: { trigger: { on: 'event', events: ['order'] }, steps: [{ type: 'exit' }] } };
    expect((await app.request.get('/lifecycle-email/flows').set(as(editor))).status).toBe(403);
    expect((await app.request.post('/lifecycle-email/flows').set(as(editor)).send(body)).status).toBe(403);
    expect((await app.request.get('/lifecycle-email/flows').set(as(reader))).status).toBe(200);
    expect((await app.request.post('/lifecycle-email/flows').set(as(reader)).send(body)).status).toBe(403);
    expect((await app.request.put('/lifecycle-email/flows/1').set(as(reader)).send({ enabled: false })).status).toBe(403);
    expect((await app.request.post('/lifecycle-email/flows').set(auth()).send(body)).status).toBe(201);
    const flow = await prebuilt('welcome-series');
    const enrollments = await app.request.get(`/lifecycle-email/flows/${flow.id}/enrollments?state=exited`).set(as(reader));
    expect(enrollments.status).toBe(200);
    expect(enrollments.body.enrollments.length).toBeGreaterThanOrEqual(1);
    expect((await app.request.get(`/lifecycle-email/flows/${flow.id}/enrollments?state=nope`).set(as(reader))).status).toBe(400);
  });
});

describe('lifecycle flows without Redis (local mode)', () => {
  let app: BootedStrapi;
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
    app = await bootStrapi({ env: deliveryEnv(sink.port, uniqueQueuePrefix(), { MOAT_QUEUE: 'local', MOAT_FLOW_TICK_MS: '200', MOAT_SHOP_NAME: 'Local Shop' }) });
  });
  afterAll(async () => {
    await app?.destroy();
    await sink?.close();
  });

  it('shipping notification: a fulfillment sends the order by item name, in-process', async () => {
    const shipping = await app.strapi.plugin('lifecycle-email').service('flows').repo.flowByKey('shipping-notification');
    await app.strapi.plugin('lifecycle-email').service('flows').update(shipping.id, { enabled: true });
    const email = `ship-${uid()}@buyer.example`;
    const { documentId } = await app.strapi.plugin('crm').service('customers').identify({ email, name: 'Lin Wei' });
    const properties = { order_id: 1001, order_number: '#1001', total: '240.00', currency: 'USD', item_count: 1, items: [{ name: 'LED Panel 60x60', quantity: 12 }] };
    await app.strapi.plugin('tracking').service('touchpoints').record({ type: 'order_fulfilled', channel: 'shopify', customerId: documentId, occurredAt: Date.now(), properties, dedupeKey: `f:${uid()}` });
    const [mail] = await sink.waitFor(1, 20_000);
    expect(mail.envelope.to).toEqual([email]);
    expect(mail.parsed.text).toContain('LED Panel 60x60');
    expect(mail.parsed.text).toContain('#1001');
  });
});
