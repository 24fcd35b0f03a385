import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { toMimeOptions } from './mime';
import type { DeliveryResult, MailTransport, OutgoingMessage } from './types';

/**
 * The embedded default: every message is built exactly as SMTP would send it and written
 * as an .eml file into a local folder, so Moat can be tried without a mail server and the
 * files open in any mail client.
 */
export function createOutboxTransport(dir: string, domain = 'moat.local'): MailTransport {
  const builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  mkdirSync(dir, { recursive: true });
  return {
    name: 'outbox',
    async send(message: OutgoingMessage): Promise<DeliveryResult> {
      const info = await builder.sendMail(toMimeOptions(message, domain));
      writeFileSync(join(dir, `${Date.now()}-${message.sendId.replace(/[^\w-]/g, '_')}.eml`), info.message as Buffer);
      return { messageId: info.messageId, accepted: [message.to] };
    },
    async close() {},
  };
}
