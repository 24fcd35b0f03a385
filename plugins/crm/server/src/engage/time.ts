/** Cadence due times (the zone arithmetic is plugin-kit's, shared with email flows). */
import { localParts, zonedInstant } from '@moat/plugin-kit';

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
