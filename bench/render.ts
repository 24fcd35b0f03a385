/**
 * bench:render — personalized renders per second on one core: the compiled path (MJML once,
 * cached Handlebars functions) against running MJML for every recipient, in the same run.
 * Two templates: a short shipping notice and a long Simplified Chinese newsletter (> 64K
 * characters of HTML, two-byte strings), where joining and splitting the parts once cost
 * ~0.15-1 ms per render. Invariants: ratio >= 100 on each; >= 20,000 compiled renders/s on
 * the shipping notice; both paths personalize.
 */
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { RenderEngine, type TemplateVersion } from '../plugins/lifecycle-email/server/src/render/engine';
import { runBench } from './lib/harness';
import { NEWSLETTER_ZH_HANS, newsletterRecipient } from './templates/newsletter-zh-hans';

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
hbs.registerHelper('money', (amount: unknown, currency: unknown, locale: unknown) =>
  new Intl.NumberFormat(typeof locale === 'string' ? locale : 'en', { style: 'currency', currency: String(currency) }).format(Number(amount)),
);
const naiveOf = (t: TemplateVersion, data: (i: number) => Record<string, unknown>) => {
  const mjmlTemplate = hbs.compile(t.mjml);
  return async (i: number): Promise<string> => (await mjml2html(mjmlTemplate(data(i)))).html;
};
const naive = naiveOf(template, recipient);

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
  ctx.log(`shipping notice: compiled ${Math.round(value)}/s, MJML per recipient ${baseline.toFixed(1)}/s, ratio ${(value / baseline).toFixed(1)}`);

  // the long zh-Hans newsletter: MJML per recipient is slow, so fewer iterations suffice
  const newsletter = NEWSLETTER_ZH_HANS;
  const naiveNewsletter = naiveOf(newsletter, newsletterRecipient);
  const nl = await engine.render(newsletter, newsletterRecipient(7));
  ctx.check(nl.html.length > 64_000 && [...nl.html].some((ch) => ch.charCodeAt(0) > 0xff), `newsletter HTML is ${nl.html.length} characters, not > 64K with CJK text`);
  ctx.check((await naiveNewsletter(7)).includes('李娜7') && nl.html.includes('李娜7') && nl.text.includes('李娜7'), 'both paths personalize the newsletter');
  await rate(300, naiveNewsletter);
  const preparedNewsletter = await engine.prepare(newsletter);
  rateSync(300, (i) => preparedNewsletter.render(newsletterRecipient(i)));
  const newsletterBaseline = await rate(ms, naiveNewsletter);
  const newsletterValue = rateSync(ms, (i) => preparedNewsletter.render(newsletterRecipient(i)));
  const newsletterRatio = newsletterValue / newsletterBaseline;
  ctx.check(newsletterRatio >= 100, `newsletter ratio ${newsletterRatio.toFixed(1)} < 100`);
  ctx.log(
    `zh-Hans newsletter (${nl.html.length} chars of HTML): compiled ${Math.round(newsletterValue)}/s (${(1e6 / newsletterValue).toFixed(1)} µs each), MJML per recipient ${newsletterBaseline.toFixed(1)}/s, ratio ${newsletterRatio.toFixed(1)}`,
  );
  return {
    value,
    baseline,
    unit: 'renders/s/core',
    extra: {
      mjmlPerRecipientPerSec: baseline,
      compiledPerSec: value,
      newsletterZhHans: { htmlChars: nl.html.length, compiledPerSec: newsletterValue, mjmlPerRecipientPerSec: newsletterBaseline, ratio: newsletterRatio },
    },
  };
});
