/** Wall-clock arithmetic in a named time zone with Intl only (no dependency). */

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar fields of an instant in `timeZone`. */
export function localParts(at: Date, timeZone: string) {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  return { year: +parts.year, month: +parts.month, day: +parts.day, hour: +parts.hour, minute: +parts.minute, second: +parts.second };
}

/** How far `timeZone` is ahead of UTC at that instant, in ms. */
function offsetAt(at: number, timeZone: string) {
  const p = localParts(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/** The instant when the wall clock in `timeZone` shows that date and time (DST-safe: offset re-checked once). */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  let at = guess - offsetAt(guess, timeZone);
  const second = guess - offsetAt(at, timeZone);
  if (second !== at) at = second;
  return new Date(at);
}

/**
 * Due time of a cadence step: `days` calendar days after `from` (in the shop's zone), at
 * `timeOfDay`, moved forward to the next working day when it lands on a day off.
 */
export function dueAfter(from: Date, days: number, opts: { workingDays: number[]; timeOfDay: string; timeZone: string }): Date {
  const local = localParts(from, opts.timeZone);
  // calendar arithmetic on a UTC date that stands for the local date
  const date = new Date(Date.UTC(local.year, local.month - 1, local.day + days));
  for (let i = 0; i < 7 && !opts.workingDays.includes(date.getUTCDay()); i++) date.setUTCDate(date.getUTCDate() + 1);
  const [hour, minute] = opts.timeOfDay.split(':').map(Number);
  return zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, opts.timeZone);
}

export const DAY_MS = 86_400_000;
