/** Typed render errors: the admin shows them, the sender refuses the message. */
export interface MjmlIssue {
  line: number;
  tagName: string;
  message: string;
}

export class MjmlValidationError extends Error {
  constructor(readonly issues: MjmlIssue[]) {
    super(`Invalid MJML: ${issues.map((i) => `line ${i.line}: ${i.message}`).join('; ')}`);
    this.name = 'MjmlValidationError';
  }
}

export class UnresolvedVariableError extends Error {
  constructor(
    readonly part: 'subject' | 'html' | 'text',
    cause: Error,
  ) {
    super(`Unresolved variable in ${part}: ${cause.message.split('\n')[0]}`);
    this.name = 'UnresolvedVariableError';
  }
}

/** Why a template was refused before or while compiling (see limits.ts and pool.ts). */
export type RejectReason = 'size' | 'expressions' | 'depth' | 'malformed' | 'timeout' | 'helper';

/**
 * A template that cannot be compiled at all: too big, too deeply nested, not an MJML
 * document, or too slow to compile. The admin gets a 400 with this message, never a 500.
 */
export class TemplateRejectedError extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'TemplateRejectedError';
  }
}
