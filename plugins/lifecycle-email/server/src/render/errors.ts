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

/** One placeholder the data cannot fill, and where the author wrote it. */
export interface UnresolvedVariable {
  /** as written, e.g. "customer.firstName" or "../shop.name" */
  name: string;
  /** `mjml`: the body (or `partial`), lines are MJML source lines */
  part: 'subject' | 'preheader' | 'mjml' | 'text';
  /** 1-based lines in that part; empty when it cannot be placed */
  lines: number[];
  partial?: string;
}

/** "customer.firstName (MJML line 3)", "coupon (subject)", "shop.name (partial footer, line 2)" */
export function describeUnresolved(v: UnresolvedVariable): string {
  const lines = v.lines.length === 0 ? '' : `${v.lines.length === 1 ? 'line' : 'lines'} ${v.lines.join(', ')}`;
  if (v.partial) return `${v.name} (partial ${v.partial}${lines ? `, ${lines}` : ''})`;
  if (v.part === 'mjml') return lines ? `${v.name} (MJML ${lines})` : v.name;
  if (v.part === 'text') return `${v.name} (text part${lines ? `, ${lines}` : ''})`;
  return `${v.name} (${v.part})`;
}

/** The data lacks variables the template uses: all of them, by name, where they are written. */
export class UnresolvedVariableError extends Error {
  constructor(
    /** the first part that failed */
    readonly part: 'subject' | 'html' | 'text',
    cause: Error | string,
    readonly variables: UnresolvedVariable[] = [],
  ) {
    super(
      variables.length > 0
        ? `Unresolved ${variables.length === 1 ? 'variable' : 'variables'}: ${variables.map(describeUnresolved).join(', ')}`
        : `Unresolved variable in ${part}: ${(typeof cause === 'string' ? cause : cause.message).split('\n')[0]}`,
    );
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
