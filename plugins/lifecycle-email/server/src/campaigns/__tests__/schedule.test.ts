import { describe, expect, it } from 'vitest';
import { pickLocale } from '../locale';
import { intoWindow, sendTimeFor, wallToInstant } from '../schedule';

const iso = (ms: number) => new Date(ms).toISOString();
const WEEKDAYS_9_TO_6 = { start: 9 * 60, end: 18 * 60, days: [1, 2, 3, 4, 5] };

describe('campaign send times', () => {
  it('finds the instant of a wall-clock time in a zone, across daylight saving changes', () => {
    expect(iso(wallToInstant(2030, 1, 7, 9 * 60, 'America/New_York'))).toBe('2030-01-07T14:00:00.000Z');
    expect(iso(wallToInstant(2030, 7, 8, 9 * 60, 'America/New_York'))).toBe('2030-07-08T13:00:00.000Z');
    expect(iso(wallToInstant(2030, 3, 31, 9 * 60, 'Europe/Berlin'))).toBe('2030-03-31T07:00:00.000Z');
    // day 32 of January is 1 February
    expect(iso(wallToInstant(2030, 1, 32, 0, 'Asia/Tokyo'))).toBe('2030-01-31T15:00:00.000Z');
  });

  it('moves a time into the window: later the same day, the next day, or past the weekend', () => {
    const tz = 'Asia/Shanghai';
    // Monday 10:00 local: inside
    expect(iso(intoWindow(Date.parse('2030-01-07T02:00:00Z'), tz, WEEKDAYS_9_TO_6))).toBe('2030-01-07T02:00:00.000Z');
    // Monday 07:00 local → 09:00
    expect(iso(intoWindow(Date.parse('2030-01-06T23:00:00Z'), tz, WEEKDAYS_9_TO_6))).toBe('2030-01-07T01:00:00.000Z');
    // Monday 19:00 local → Tuesday 09:00
    expect(iso(intoWindow(Date.parse('2030-01-07T11:00:00Z'), tz, WEEKDAYS_9_TO_6))).toBe('2030-01-08T01:00:00.000Z');
    // Friday 18:00 local (the end is exclusive) → Monday 09:00
    expect(iso(intoWindow(Date.parse('2030-01-11T10:00:00Z'), tz, WEEKDAYS_9_TO_6))).toBe('2030-01-14T01:00:00.000Z');
    expect(intoWindow(123, tz, null)).toBe(123);
  });

  it('never schedules before now; local mode uses the recipient zone', () => {
    const now = Date.parse('2030-01-07T12:00:00Z');
    expect(sendTimeFor({ mode: 'now' }, 'UTC', null, now)).toBe(now);
    expect(sendTimeFor({ mode: 'at', sendAt: now - 1000 }, 'UTC', null, now)).toBe(now);
    expect(iso(sendTimeFor({ mode: 'local', localTime: '2030-01-08T10:30' }, 'Europe/Berlin', WEEKDAYS_9_TO_6, now))).toBe('2030-01-08T09:30:00.000Z');
  });

  it('picks the template version by language, else the same base language, else the default locale', () => {
    expect(pickLocale('zh-Hans', ['en', 'zh-Hans'], 'en')).toBe('zh-Hans');
    expect(pickLocale('ZH-cn', ['en', 'zh-Hans'], 'en')).toBe('zh-Hans');
    expect(pickLocale('de', ['en', 'zh-Hans'], 'en')).toBe('en');
    expect(pickLocale(null, ['fr', 'zh-Hans'], 'en')).toBe('fr');
  });
});
