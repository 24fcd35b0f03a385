import { DAY_MS } from './constants';

/**
 * Days are counted in the shop's time zone with its offset at one instant (the rollups key a
 * day by an integer, and SQL needs one offset): in zones with daylight saving time a day
 * boundary moves by that hour half of the year. Documented in README "Insights".
 */
export function offsetMs(timezone: string, at = Date.now()): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(at / 1000) * 1000;
}

export const dayOf = (ms: number, offset: number) => Math.floor((ms + offset) / DAY_MS);
/** first millisecond (UTC epoch) of a shop day */
export const dayStart = (day: number, offset: number) => day * DAY_MS - offset;
export const dayFromIso = (iso: string) => Math.floor(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
export const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 1..12 and "YYYY-MM" of a shop day */
export const monthOfDay = (day: number) => new Date(day * DAY_MS).getUTCMonth() + 1;
export const yearMonthOfDay = (day: number) => isoOfDay(day).slice(0, 7);
