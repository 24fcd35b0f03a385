/**
 * bench:faq — the public product-content read API (4 Document Service queries, Markdown
 * rendering, ETag) against Strapi's own /_health route in the same run and process: the
 * ratio says what the endpoint costs on top of Strapi's middleware stack.
 * Invariant: every request answered 2xx.
 */
import { createLocalizedDocument, ensureLocale } from '../tests/helpers/content';
import { buildApp } from '../tests/helpers/build';
import { bootStrapi } from '../tests/helpers/strapi';
import { runBench } from './lib/harness';
import { runLoad } from './lib/load';

const FAQ = 'plugin::product-content.faq-item';

runBench('faq', async (ctx) => {
  await buildApp();
  const app = await bootStrapi({ env: { MOAT_CONTENT_RATE_LIMIT: '100000000' } });
  try {
    await ensureLocale(app.strapi, 'de');
    for (let i = 0; i < 8; i++) {
      await createLocalizedDocument(app.strapi, FAQ, {
        en: { productKey: 'bench-product', position: i, question: `Question ${i}?`, answer: `Answer **${i}** with a [link](https://example.com).` },
        de: { productKey: 'bench-product', position: i, question: `Frage ${i}?`, answer: `Antwort **${i}**.` },
      });
    }
    const durationSec = ctx.quick ? 4 : 15;
    const connections = 32;
    const baseline = await runLoad({ url: `${app.url}/_health`, connections, durationSec });
    const faq = await runLoad({ url: `${app.url}/api/product-content/products/bench-product?locale=de`, connections, durationSec });
    ctx.log(`/_health ${baseline.requestsPerSec} req/s p99 ${baseline.latencyP99} ms; faq ${faq.requestsPerSec} req/s p50 ${faq.latencyP50} ms p99 ${faq.latencyP99} ms`);
    ctx.check(faq.non2xx === 0 && faq.errors === 0, `faq: ${faq.non2xx} non-2xx and ${faq.errors} errors`);
    ctx.check(baseline.errors === 0, `baseline: ${baseline.errors} errors`);
    return {
      value: faq.requestsPerSec,
      baseline: baseline.requestsPerSec,
      unit: 'req/s',
      extra: { connections, durationSec, faqP50Ms: faq.latencyP50, faqP99Ms: faq.latencyP99, baselineP99Ms: baseline.latencyP99 },
    };
  } finally {
    await app.destroy();
  }
});
