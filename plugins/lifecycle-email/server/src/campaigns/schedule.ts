/**
 * When each recipient's message leaves: the campaign's time (now, an instant, or a wall-clock
 * time in the recipient's own zone), moved forward into the sending window (business hours on
 * allowed weekdays, in the recipient's zone). Pure functions over epoch milliseconds and IANA
 * zone names (Intl), so unit tests and the service agree without a clock.
 */

export interface SendWindow {
  /** minutes after local midnight, [start, end) */
  start: number;
  end: number;
  /** ISO weekdays 1 (Monday) … 7 (Sunday) */
  days: number[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(tz, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || !tz || tz.length > 64) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(ms: number, tz: string): ZonedParts {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) p[part.type] = part.value;
  return { year: +p.year, month: +p.month, day: +p.day, hour: +p.hour, minute: +p.minute, second: +p.second, weekday: WEEKDAYS[p.weekday] };
}

/** the zone's offset from UTC at this instant, in ms */
function offsetAt(ms: number, tz: string): number {
  const p = zonedParts(ms, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (ms % 1000));
}

/**
 * The instant a wall-clock time happens in `tz`. Days and minutes may overflow (day 32 is the
 * next month). A time skipped by a DST jump lands just after the jump.
 */
export function wallToInstant(year: number, month: number, day: number, minutes: number, tz: string): number {
  const naive = Date.UTC(year, month - 1, day, 0, minutes);
  let guess = naive - offsetAt(naive, tz);
  // the offset at the guess may differ (DST between the two): correct once more
  guess = naive - offsetAt(guess, tz);
  return guess;
}

/** The earliest instant ≥ `at` inside the window, in `tz` (at most 8 days ahead). */
export function intoWindow(at: number, tz: string, window: SendWindow | null): number {
  if (!window) return at;
  let t = at;
  for (let i = 0; i < 9; i++) {
    const p = zonedParts(t, tz);
    const minute = p.hour * 60 + p.minute;
    if (window.days.includes(p.weekday)) {
      if (minute >= window.start && minute < window.end) return t;
      if (minute < window.start) return wallToInstant(p.year, p.month, p.day, window.start, tz);
    }
    // past the window (or not a sending day): the start of the next day's window
    t = wallToInstant(p.year, p.month, p.day + 1, window.start, tz);
  }
  return t;
}

/** "YYYY-MM-DDTHH:mm" → its parts, or null */
export function parseLocalTime(value: string): { year: number; month: number; day: number; minutes: number } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  return { year, month, day, minutes: hour * 60 + minute };
}

/** "HH:mm" → minutes after midnight ("24:00" is the end of the day), or null */
export function parseClock(value: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 24 * 60 ? minutes : null;
}

export type Schedule = { mode: 'now' } | { mode: 'at'; sendAt: number } | { mode: 'local'; localTime: string };

/** One recipient's send time: the schedule in their zone, not before `now`, inside the window. */
export function sendTimeFor(schedule: Schedule, tz: string, window: SendWindow | null, now: number): number {
  let at = now;
  if (schedule.mode === 'at') at = Math.max(now, schedule.sendAt);
  if (schedule.mode === 'local') {
    const p = parseLocalTime(schedule.localTime);
    if (p) at = Math.max(now, wallToInstant(p.year, p.month, p.day, p.minutes, tz));
  }
  return intoWindow(at, tz, window);
}
