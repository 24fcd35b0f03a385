import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { toMimeOptions } from '../../transport/mime';
import { loadDefaultTemplates } from '../defaults';
import { RenderEngine } from '../engine';

const TEMPLATES = join(__dirname, '..', '..', '..', '..', 'templates');
const GOLDEN = join(TEMPLATES, '__golden__');
const templates = loadDefaultTemplates(TEMPLATES);
const engine = new RenderEngine();

/** Golden files pin the output; UPDATE_GOLDEN=1 rewrites them after an intended change. */
function expectGolden(name: string, actual: string) {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(existsSync(file), `golden file ${name} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('default lifecycle templates', () => {
  it('cover every kind in English and Simplified Chinese', () => {
    const pairs = templates.map((t) => `${t.kind}/${t.locale}`).sort();
    for (const kind of ['welcome', 'shipping', 'milestone', 'loyalty', 'follow-up']) {
      expect(pairs).toContain(`${kind}/en`);
      expect(pairs).toContain(`${kind}/zh-Hans`);
    }
  });

  it.each(templates.map((t) => [`${t.kind}/${t.locale}`, t] as const))('%s renders its sample without MJML errors and matches the golden output', async (name, t) => {
    const out = await engine.render(t, t.sample);
    const slug = name.replace('/', '.');
    expectGolden(`${slug}.subject.txt`, out.subject);
    expectGolden(`${slug}.html`, out.html);
    expectGolden(`${slug}.txt`, out.text);
    // the footer carries the unsubscribe link and postal address in every message
    expect(out.html).toContain((t.sample.links as { unsubscribe: string }).unsubscribe);
    expect(out.html).toContain((t.sample.shop as { address: string }).address);

    const mime = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(
      toMimeOptions({ ...out, from: 'shop@moat.example', to: 'buyer@example.com', unsubscribeUrl: 'https://moat.example/u/1', sendId: `golden-${slug}` }, 'moat.example'),
    );
    const raw = (mime.message as Buffer).toString('utf8');
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(out.subject);
    expect(parsed.text?.trim()).toBe(out.text.trim());
    expect(parsed.html).toBe(out.html);
  });
});
