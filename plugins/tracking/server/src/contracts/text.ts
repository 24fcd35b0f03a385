/**
 * Strings PostgreSQL refuses: a NUL character fails any text column, and a lone UTF-16
 * surrogate fails a jsonb value. JSON can carry both (as \u0000 and \ud800 escapes), so one
 * hostile or buggy client could fail a whole group commit. They are replaced at the edge,
 * before validation, on both databases (SQLite would store them, and then exports break).
 */

/** The escapes that produce such characters; raw UTF-8 input cannot (the decoder replaces). */
const RISKY_ESCAPE = /\\u(?:0000|[dD][89a-fA-F])/;

/** Cheap test on the raw JSON text: only bodies that match are walked. */
export const mayNeedCleaning = (jsonText: string) => RISKY_ESCAPE.test(jsonText);

const NUL = new RegExp(String.fromCharCode(0), 'g');
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Replaced, not removed: U+FFFD marks the spot, and an identifier that carried one (a visitor
 * id, an event type) stays invalid and is refused instead of silently becoming another one.
 */
const cleanString = (s: string) => s.replace(NUL, '\uFFFD').replace(LONE_SURROGATE, '\uFFFD');

/** A copy of parsed JSON with NUL characters and lone surrogates replaced by U+FFFD, keys included. */
export function cleanStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanString(value);
  if (value === null || typeof value !== 'object' || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => cleanStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[cleanString(key)] = cleanStrings(v, depth + 1);
  return out;
}
