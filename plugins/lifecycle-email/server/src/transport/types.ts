import type { RenderedEmail } from '../render/engine';

/** One message ready to leave: rendered parts plus envelope and list headers. */
export interface OutgoingMessage extends RenderedEmail {
  from: string;
  to: string;
  replyTo?: string;
  /** one-click unsubscribe URL (RFC 8058); every lifecycle message carries one */
  unsubscribeUrl: string;
  /** idempotency key of the send (message log row); becomes the Message-ID's local part */
  sendId: string;
}

export interface DeliveryResult {
  messageId: string;
  accepted: string[];
}

/** Where mail goes: real SMTP in production, a local outbox by default. Chosen by config. */
export interface MailTransport {
  readonly name: 'smtp' | 'outbox';
  send(message: OutgoingMessage): Promise<DeliveryResult>;
  close(): Promise<void>;
}
