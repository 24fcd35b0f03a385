import type Mail from 'nodemailer/lib/mailer';
import type { OutgoingMessage } from './types';

/**
 * The nodemailer message for an outgoing email: multipart/alternative (text + HTML), and
 * List-Unsubscribe with List-Unsubscribe-Post so mailbox providers show one-click
 * unsubscribe (required by Gmail and Yahoo for bulk senders).
 */
/** A header value from rendered data: line breaks would start a new header, so they become spaces. */
export const headerValue = (value: string) => value.replace(/[\r\n]+/g, ' ');

export function toMimeOptions(message: OutgoingMessage, domain: string): Mail.Options {
  return {
    from: message.from,
    to: message.to,
    replyTo: message.replyTo,
    subject: headerValue(message.subject),
    text: message.text,
    html: message.html,
    messageId: `<${message.sendId}@${domain}>`,
    headers: {
      'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
