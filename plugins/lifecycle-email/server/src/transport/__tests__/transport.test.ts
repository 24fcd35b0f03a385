import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../../../../../../tests/helpers/smtp';
import { RenderEngine } from '../../render/engine';
import { createOutboxTransport } from '../outbox';
import { createSmtpTransport } from '../smtp';
import type { OutgoingMessage } from '../types';

/** mailparser folds List-* headers into one "list" object; the raw lines are exact. */
const header = (lines: Array<{ key: string; line: string }>, key: string) => lines.find((l) => l.key === key)?.line;

async function rendered(name: string): Promise<OutgoingMessage> {
  const out = await new RenderEngine().render(
    {
      id: `t-${randomUUID()}`,
      version: 1,
      subject: 'Welcome to Moat, {{name}}',
      mjml: '<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}</mj-text><mj-button href="{{unsub}}">Unsubscribe</mj-button></mj-column></mj-section></mj-body></mjml>',
    },
    { name, unsub: 'https://moat.example/u/xyz' },
  );
  return { ...out, from: 'Moat Shop <shop@moat.example>', to: 'buyer@example.com', unsubscribeUrl: 'https://moat.example/u/xyz', sendId: randomUUID() };
}

describe('SMTP transport against a real SMTP server', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink?.close();
  });

  it('delivers multipart/alternative with subject, From and one-click List-Unsubscribe', async () => {
    const transport = createSmtpTransport({ host: sink.host, port: sink.port, domain: 'moat.example' });
    const message = await rendered('Ada');
    const result = await transport.send(message);
    await transport.close();
    const [mail] = await sink.waitFor(1);
    expect(result.accepted).toEqual(['buyer@example.com']);
    expect(mail.envelope).toEqual({ from: 'shop@moat.example', to: ['buyer@example.com'] });
    expect(mail.parsed.subject).toBe('Welcome to Moat, Ada');
    expect(mail.parsed.from?.value[0]).toEqual({ address: 'shop@moat.example', name: 'Moat Shop' });
    expect(header(mail.parsed.headerLines, 'list-unsubscribe')).toBe('List-Unsubscribe: <https://moat.example/u/xyz>');
    expect(header(mail.parsed.headerLines, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.parsed.messageId).toBe(`<${message.sendId}@moat.example>`);
    expect(mail.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(mail.parsed.text).toContain('Hello Ada');
    expect(mail.parsed.html).toContain('Hello Ada');
  });
});

describe('outbox transport (the embedded default)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'moat-outbox-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same MIME message SMTP would send as an .eml file', async () => {
    const transport = createOutboxTransport(dir, 'moat.example');
    await transport.send(await rendered('Grace'));
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const parsed = await simpleParser(readFileSync(join(dir, files[0])));
    expect(parsed.subject).toBe('Welcome to Moat, Grace');
    expect(parsed.text).toContain('Hello Grace');
    expect(parsed.html).toContain('Hello Grace');
    expect(header(parsed.headerLines, 'list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });
});
