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
