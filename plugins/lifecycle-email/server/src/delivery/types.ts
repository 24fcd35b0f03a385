/** The delivery pipeline's shared shapes: the message log row and the enqueue contract. */

export type Lane = 'transactional' | 'bulk';
export type MessageKind = 'transactional' | 'marketing';
/** "paused": held by a paused campaign (workers pass it by until resume) */
export type MessageStatus = 'pending' | 'queued' | 'sending' | 'sent' | 'failed' | 'skipped' | 'paused';

export const LANES: readonly Lane[] = ['transactional', 'bulk'];

/** What flows and campaigns hand to `messages.enqueue` (see ARCHITECTURE.md, "Email delivery"). */
export interface EnqueueInput {
  /** one intent, one message: e.g. `flow:<flowId>:<enrollment>:<step>` or `campaign:<id>:<customer>` */
  idempotencyKey: string;
  lane: Lane;
  kind: MessageKind;
  to: string;
  customerId?: string | null;
  /** the email template's document id or its name */
  templateKey: string;
  locale?: string | null;
  data?: Record<string, unknown>;
  /** not before this time (default now) */
  sendAt?: Date | number;
  campaignId?: string | null;
  flowId?: string | null;
}

export interface EnqueueResult {
  id: number;
  /** false when the idempotency key was already in the log (nothing new was queued) */
  created: boolean;
}

/** One row of moat_messages, camel-cased and with numbers as numbers. */
export interface MessageRow {
  id: number;
  idempotencyKey: string;
  status: MessageStatus;
  reason: string | null;
  lane: Lane;
  kind: MessageKind;
  customerId: string | null;
  recipient: string;
  templateKey: string;
  locale: string | null;
  data: Record<string, unknown>;
  campaignId: string | null;
  flowId: string | null;
  attempts: number;
  providerMessageId: string | null;
  jobId: string | null;
  sendAt: number;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}
