import { errors } from '@strapi/utils';
import { z } from 'zod';
import { parseClock, parseLocalTime, type Schedule, type SendWindow } from './schedule';

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'cancelled', 'done'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** What an admin defines (POST /lifecycle-email/campaigns). */
const definitionSchema = z.strictObject({
  name: z.string().trim().min(1, 'required').max(255),
  segmentId: z.string().trim().min(1, 'required').max(64),
  templateKey: z.string().trim().min(1, 'required').max(128),
  schedule: z
    .discriminatedUnion('mode', [
      z.strictObject({ mode: z.literal('now') }),
      z.strictObject({ mode: z.literal('at'), sendAt: z.iso.datetime({ offset: true, message: 'an ISO date-time with a zone, e.g. 2026-12-24T09:00:00Z' }) }),
      z.strictObject({ mode: z.literal('local'), localTime: z.string().refine((v) => parseLocalTime(v) !== null, 'a wall-clock time YYYY-MM-DDTHH:mm') }),
    ])
    .default({ mode: 'now' }),
  window: z
    .strictObject({
      start: z.string().refine((v) => parseClock(v) !== null, 'HH:mm'),
      end: z.string().refine((v) => parseClock(v) !== null, 'HH:mm'),
      days: z.array(z.number().int().min(1, 'ISO weekdays 1–7').max(7, 'ISO weekdays 1–7')).min(1).max(7).default([1, 2, 3, 4, 5]),
    })
    .refine((w) => (parseClock(w.start) ?? 0) < (parseClock(w.end) ?? 0), { message: 'start must be before end', path: ['end'] })
    .nullish(),
});

export interface CampaignDefinition {
  name: string;
  segmentId: string;
  templateKey: string;
  schedule: Schedule;
  window: { start: string; end: string; days: number[] } | null;
}

/** @throws ValidationError naming each bad field (400) */
export function parseDefinition(body: unknown): CampaignDefinition {
  const parsed = definitionSchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new errors.ValidationError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  const d = parsed.data;
  const schedule: Schedule = d.schedule.mode === 'at' ? { mode: 'at', sendAt: Date.parse(d.schedule.sendAt) } : d.schedule.mode === 'local' ? { mode: 'local', localTime: d.schedule.localTime } : { mode: 'now' };
  return { name: d.name, segmentId: d.segmentId, templateKey: d.templateKey, schedule, window: d.window ? { start: d.window.start, end: d.window.end, days: [...new Set(d.window.days)].sort() } : null };
}

export function toSendWindow(w: CampaignDefinition['window']): SendWindow | null {
  if (!w) return null;
  return { start: parseClock(w.start) ?? 0, end: parseClock(w.end) ?? 24 * 60, days: w.days };
}
