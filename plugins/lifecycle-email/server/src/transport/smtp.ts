import nodemailer from 'nodemailer';
import { toMimeOptions } from './mime';
import type { DeliveryResult, MailTransport, OutgoingMessage } from './types';

export interface SmtpConfig {
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  pass?: string;
  /** domain used in Message-IDs */
  domain: string;
  maxConnections?: number;
}

/**
 * Pooled SMTP through nodemailer directly (the same library behind Strapi's nodemailer
 * provider): the provider's send() drops the Message-ID and envelope details the message
 * log needs, and a pool keeps connections open across a campaign.
 */
export function createSmtpTransport(config: SmtpConfig): MailTransport {
  const transporter = nodemailer.createTransport({
    pool: true,
    host: config.host,
    port: config.port,
    secure: config.secure ?? false,
    maxConnections: config.maxConnections ?? 5,
    auth: config.user ? { user: config.user, pass: config.pass } : undefined,
  });
  return {
    name: 'smtp',
    async send(message: OutgoingMessage): Promise<DeliveryResult> {
      const info = await transporter.sendMail(toMimeOptions(message, config.domain));
      return { messageId: info.messageId, accepted: (info.accepted as Array<string | { address: string }>).map((a) => (typeof a === 'string' ? a : a.address)) };
    },
    async close() {
      transporter.close();
    },
  };
}
