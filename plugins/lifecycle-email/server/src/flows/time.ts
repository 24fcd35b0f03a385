import { localParts, zonedInstant } from '@moat/plugin-kit';

/**
 * The next instant after `from` when the wall clock in `timeZone` shows `time` (HH:MM) on one of
 * `weekdays` (0 = Sunday; default any day): "send at 09:00 in the recipient's time zone".
 */
export function nextLocalTime(from: Date, time: string, timeZone: string, weekdays?: number[]): Date {
  const [hour, minute] = time.split(':').map(Number);
  const local = localParts(from, timeZone);
  for (let offset = 0; offset <= 8; offset++) {
    // a UTC date standing for the local calendar date
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    if (weekdays && !weekdays.includes(day.getUTCDay())) continue;
    const at = zonedInstant(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), hour, minute, timeZone);
    if (at.getTime() > from.getTime()) return at;
  }
  // weekdays always match within 8 days; unreachable, but never loop forever
  return new Date(from.getTime() + 86_400_000);
}

/** An IANA zone Intl knows, else the fallback (customer records hold free text). */
export function zoneOr(zone: string | null | undefined, fallback: string): string {
  if (!zone) return fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return fallback;
  }
}
