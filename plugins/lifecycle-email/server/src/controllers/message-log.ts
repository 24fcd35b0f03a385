import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { z } from 'zod';
import type { MessageRow } from '../delivery/types';
import { getService } from '../utils/get-service';

const STATUSES = ['pending', 'queued', 'sending', 'sent', 'failed', 'skipped', 'paused'] as const;

const searchQuery = z.strictObject({
  q: z.string().trim().max(200, 'q: at most 200 characters').optional(),
  status: z.enum(STATUSES).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new errors.ValidationError(parsed.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; '));
  return parsed.data;
}

/** What the admin's message log shows of a row: no rendered body, no template data (it can hold personal details). */
const summary = (m: MessageRow) => ({
  id: m.id,
  status: m.status,
  reason: m.reason,
  lane: m.lane,
  kind: m.kind,
  recipient: m.recipient,
  customerId: m.customerId,
  templateKey: m.templateKey,
  locale: m.locale,
  campaignId: m.campaignId,
  flowId: m.flowId,
  attempts: m.attempts,
  createdAt: m.createdAt,
  sentAt: m.sentAt,
});

/** The message log in the admin: search every intended send, and retry the failed ones. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async search(ctx: Context) {
    const filter = parse(searchQuery, ctx.query);
    const limit = filter.limit ?? 50;
    const rows = await getService(strapi, 'messages').search({ ...filter, limit });
    ctx.body = { messages: rows.map(summary), next: rows.length === limit ? rows[rows.length - 1].id : null };
  },

  async retry(ctx: Context) {
    const id = parse(z.coerce.number().int().positive(), ctx.params.id);
    const service = getService(strapi, 'messages');
    const row = await service.get(id);
    if (!row) throw new errors.NotFoundError(`message ${id} does not exist`);
    if (!(await service.retry(id))) {
      // 409: the request is fine, the message's state does not allow it (sent twice is worse than not at all)
      ctx.status = 409;
      ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: `message ${id} is ${row.status}: only failed messages can be retried`, details: {} } };
      return;
    }
    ctx.body = { message: summary((await service.get(id)) as MessageRow) };
  },
});
