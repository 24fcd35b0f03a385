/**
 * bench:render — personalized renders per second on one core: the compiled path (MJML once,
 * cached Handlebars functions) against running MJML for every recipient, in the same run.
 * Invariants: ratio >= 100 and >= 20,000 compiled renders/s; both paths produce the same
 * personalized text.
 */
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { RenderEngine, type TemplateVersion } from '../plugins/lifecycle-email/server/src/render/engine';
import { runBench } from './lib/harness';

const template: TemplateVersion = {
  id: 'bench-shipping',
  version: 1,
  subject: 'Your order {{order.number}} has shipped',
  mjml: `<mjml><mj-body>
  <mj-section><mj-column><mj-text font-size="20px">Hi {{fallback customer.firstName "there"}},</mj-text>
  <mj-text>Order {{order.number}} is on its way with {{shipment.carrier}}: tracking {{shipment.trackingNumber}}.</mj-text>
  <mj-button href="{{shipment.trackingUrl}}">Track your parcel</mj-button></mj-column></mj-section>
  <mj-section><mj-column><mj-table>{{#each order.items}}<tr><td>{{this.title}}</td><td>{{this.quantity}}</td></tr>{{/each}}</mj-table></mj-column></mj-section>
  <mj-section><mj-column><mj-text font-size="11px"><a href="{{links.unsubscribe}}">Unsubscribe</a></mj-text></mj-column></mj-section>
</mj-body></mjml>`,
};

const recipient = (i: number) => ({
  customer: { firstName: `Buyer${i}` },
  order: { number: `#${1000 + i}`, items: [{ title: 'LED panel 600x600', quantity: 100 }, { title: 'Driver', quantity: 100 }] },
  shipment: { carrier: 'DHL', trackingNumber: `JD${i}`, trackingUrl: `https://track.example/JD${i}` },
  links: { unsubscribe: `https://moat.example/u/${i}` },
});

/**
 * The naive path: personalize the MJML source, then run MJML for this recipient with its
 * default options (soft validation), as a system without a compile step would.
 */
const hbs = Handlebars.create();
hbs.registerHelper('fallback', (v: unknown, alt: unknown) => (v === undefined || v === null || v === '' ? alt : v));
const mjmlTemplate = hbs.compile(template.mjml);
async function naive(i: number): Promise<string> {
  return (await mjml2html(mjmlTemplate(recipient(i)))).html;
}

async function rate(durationMs: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  let i = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) await fn(i++);
  return i / ((performance.now() - started) / 1000);
}

/** Same loop for synchronous work: no promise per iteration. */
function rateSync(durationMs: number, fn: (i: number) => unknown): number {
  let i = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) for (const end = i + 100; i < end; i++) fn(i);
  return i / ((performance.now() - started) / 1000);
}

runBench('render', async (ctx) => {
  const engine = new RenderEngine();
  await engine.validate(template);
  const sample = await engine.render(template, recipient(7));
  ctx.check((await naive(7)).includes('Buyer7') && sample.html.includes('Buyer7') && sample.text.includes('JD7'), 'both paths personalize');
  const ms = ctx.quick ? 3000 : 10_000;
  await rate(300, naive); // warm-up
  await rate(300, async (i) => (await engine.prepare(template)).render(recipient(i)));
  const baseline = await rate(ms, naive);
  // a sender prepares the version once per batch, then personalizes per recipient
  const prepared = await engine.prepare(template);
  const value = rateSync(ms, (i) => prepared.render(recipient(i)));
  ctx.check(engine.mjmlCompiles === 1, `MJML ran ${engine.mjmlCompiles} times on the compiled path`);
  ctx.check(value / baseline >= 100, `ratio ${(value / baseline).toFixed(1)} < 100`);
  ctx.check(value >= 20_000, `${Math.round(value)} compiled renders/s < 20,000`);
  return { value, baseline, unit: 'renders/s/core', extra: { mjmlPerRecipientPerSec: baseline, compiledPerSec: value } };
});
