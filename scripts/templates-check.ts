// `npm run templates:check`: renders every default template in every locale with its
// sample data; fails on MJML errors (with line numbers) or unresolved variables.
import { join } from 'node:path';
import { loadDefaultTemplates } from '../plugins/lifecycle-email/server/src/render/defaults';
import { RenderEngine } from '../plugins/lifecycle-email/server/src/render/engine';

async function main() {
  const engine = new RenderEngine();
  let failed = 0;
  const templates = loadDefaultTemplates(join(__dirname, '..', 'plugins', 'lifecycle-email', 'templates'));
  for (const t of templates) {
    try {
      const out = await engine.render(t, t.sample);
      console.log(`ok   ${t.kind}/${t.locale}: "${out.subject}" (${out.html.length} B html, ${out.text.length} B text)`);
    } catch (error) {
      failed += 1;
      console.error(`FAIL ${t.kind}/${t.locale}: ${(error as Error).message}`);
    }
  }
  console.log(`${templates.length - failed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}
void main();
