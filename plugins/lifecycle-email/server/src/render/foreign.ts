/**
 * Placeholders of other email tools, pasted in with a template from Mailjet, Mailchimp or
 * Salesforce: Handlebars leaves them alone, so they would reach the recipient as written
 * ("Hi *|FNAME|*"). The preview warns about each one, with where it is.
 */
const STYLES: Array<{ tool: string; pattern: RegExp }> = [
  { tool: 'Mailjet', pattern: /\[\[\s*[A-Za-z_][\w.:-]*\s*\]\]/g },
  { tool: 'Mailchimp', pattern: /\*\|\s*[A-Za-z_][\w:-]*\s*\|\*/g },
  { tool: 'Salesforce', pattern: /%%\s*[A-Za-z_][\w.-]*\s*%%|%%\[[\s\S]*?\]%%/g },
];

export interface ForeignPlaceholder {
  /** as written, e.g. "[[PERMALINK]]" */
  text: string;
  tool: string;
  part: 'subject' | 'preheader' | 'mjml' | 'text';
  /** 1-based line in that part */
  line: number;
}

/** at most this many are reported (a pasted template may hold hundreds) */
export const MAX_FOREIGN = 50;

/** 1-based line of each offset: the line starts once, then a binary search per match. */
function lineFinder(source: string): (index: number) => number {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/** Every foreign placeholder in the parts as written (one linear scan per style and part). */
export function findForeignPlaceholders(parts: { subject: string; preheader?: string | null; mjml: string; text?: string | null }): ForeignPlaceholder[] {
  const out: ForeignPlaceholder[] = [];
  for (const part of ['subject', 'preheader', 'mjml', 'text'] as const) {
    const source = parts[part];
    if (!source) continue;
    const lineAt = lineFinder(source);
    const found: ForeignPlaceholder[] = [];
    for (const { tool, pattern } of STYLES) {
      for (const m of source.matchAll(pattern)) found.push({ text: m[0].length > 60 ? `${m[0].slice(0, 60)}…` : m[0], tool, part, line: lineAt(m.index ?? 0) });
    }
    out.push(...found.sort((a, b) => a.line - b.line));
  }
  return out.slice(0, MAX_FOREIGN);
}

const PART_NAMES = { subject: 'the subject', preheader: 'the preheader', mjml: 'MJML', text: 'the text part' } as const;

/** "[[PERMALINK]] (Mailjet style) on MJML line 12 is not replaced: use a {{variable}}" */
export function describeForeign(p: ForeignPlaceholder): string {
  const where = p.part === 'mjml' || p.part === 'text' ? `on ${PART_NAMES[p.part]} line ${p.line}` : `in ${PART_NAMES[p.part]}`;
  return `${p.text} (${p.tool} style) ${where} is not replaced: recipients would see it as written; use a Handlebars {{variable}}`;
}
