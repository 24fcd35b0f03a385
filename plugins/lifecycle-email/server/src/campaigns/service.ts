import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { type CampaignsConfig, DEFAULT_CAMPAIGNS } from '../config';
import type { EnqueueInput } from '../delivery/types';
import { PLUGIN_ID, TEMPLATE_UID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { audiencePort, type Recipient } from './audience';
import { type CampaignStatus, parseDefinition, toSendWindow } from './definition';
import { pickLocale } from './locale';
import { type CampaignReport, campaignReport, REPORT_DAYS } from './report';
import { type Campaign, createCampaignRepository } from './repository';
import { isTimeZone, sendTimeFor } from './schedule';

const DAY_MS = 86_400_000;
/** consent values of the CRM that mean "no marketing" (see compliance/ports.ts) */
const REFUSED = new Set(['unsubscribed', 'pending']);
const RELEASE_PAGE = 5_000;

export class CampaignStateError extends errors.ApplicationError {}

export type CampaignWithProgress = Campaign & { progress: Record<string, number> };

/**
 * Campaigns (ARCHITECTURE.md, "Email delivery"): a segment × a template, written to the
 * message log a page of members at a time with a per-recipient send time, then carried by the
 * bulk lane like every other message. The message log is the progress: counts by status.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const repo = createCampaignRepository(() => strapi.db.connection);
  const audience = audiencePort(strapi);
  const settings = (): CampaignsConfig => ({ ...DEFAULT_CAMPAIGNS, ...(strapi.plugin(PLUGIN_ID).config('campaigns') as Partial<CampaignsConfig>) });
  const delivery = () => getService(strapi, 'delivery');
  /** the write loops running in this process, by campaign */
  const writing = new Map<string, Promise<void>>();

  async function templateLocales(key: string): Promise<string[]> {
    const rows = (await strapi.db.query(TEMPLATE_UID).findMany({ where: { $or: [{ documentId: key }, { name: key }] }, select: ['locale'] })) as Array<{ locale: string }>;
    return [...new Set(rows.map((r) => r.locale))];
  }

  async function defaultLocale(): Promise<string | null> {
    const i18n = strapi.plugin('i18n');
    return i18n ? ((await i18n.service('locales').getDefaultLocale()) as string) : null;
  }

  async function mustGet(id: string): Promise<Campaign> {
    const c = await repo.get(id);
    if (!c) throw new errors.NotFoundError(`no campaign "${id}"`);
    return c;
  }

  /** Why this recipient gets no message now, or null. */
  function skipReason(r: Recipient & { email: string }, suppressed: { reason: string } | undefined, recent: number, cfg: CampaignsConfig): string | null {
    if (suppressed?.reason === 'bounced') return 'suppressed: address bounced';
    if (suppressed?.reason === 'unsubscribed') return 'suppressed: recipient unsubscribed';
    if (r.emailConsent && REFUSED.has(r.emailConsent)) return `no_consent: email consent is "${r.emailConsent}"`;
    if (cfg.frequencyCap > 0 && recent >= cfg.frequencyCap) return `frequency_cap: ${recent} marketing messages in the last ${cfg.frequencyDays} days (cap ${cfg.frequencyCap})`;
    return null;
  }

  /** Writes one page of members: skipped rows with their reason, the rest through enqueueMany. */
  async function writePage(c: Campaign, page: Recipient[], locales: string[], defLocale: string | null, now: number) {
    const cfg = settings();
    const window = toSendWindow(c.window);
    const withEmail = page.filter((r): r is Recipient & { email: string } => Boolean(r.email));
    const suppressions = await delivery().repo.suppressions.many(withEmail.map((r) => r.email));
    const recent = cfg.frequencyCap > 0 ? await repo.marketingCounts(withEmail.map((r) => r.customerId), now - cfg.frequencyDays * DAY_MS, c.id) : new Map<string, number>();
    const reasons = new Map<string, string>();
    const inputs: EnqueueInput[] = withEmail.map((r) => {
      const tz = isTimeZone(r.timeZone) ? r.timeZone : isTimeZone(cfg.shopTimezone) ? cfg.shopTimezone : 'UTC';
      const input: EnqueueInput = {
        idempotencyKey: `campaign:${c.id}:${r.customerId}`,
        lane: 'bulk',
        kind: 'marketing',
        to: r.email,
        customerId: r.customerId,
        templateKey: c.templateKey,
        locale: pickLocale(r.language, locales, defLocale),
        // the template's variables: the customer as the CRM knows them (empty strings, not missing, for unknowns)
        data: { name: r.name ?? '', email: r.email, company: r.company ?? '', country: r.country ?? '', language: r.language ?? '' },
        campaignId: c.id,
        sendAt: sendTimeFor(c.schedule, tz, window, now),
      };
      const reason = skipReason(r, suppressions.get(r.email.toLowerCase()), recent.get(r.customerId) ?? 0, cfg);
      if (reason) reasons.set(input.idempotencyKey, reason);
      return input;
    });
    const skipped = inputs.filter((m) => reasons.has(m.idempotencyKey));
    if (skipped.length > 0) await delivery().repo.insertMany(skipped, now, { skipReason: (m) => reasons.get(m.idempotencyKey) ?? null });
    const toSend = inputs.filter((m) => !reasons.has(m.idempotencyKey));
    const results = toSend.length > 0 ? await getService(strapi, 'messages').enqueueMany(toSend) : [];
    return { recipients: page.length, enqueued: results.filter((r) => r.created).length, skipped: skipped.length + (page.length - withEmail.length) };
  }

  /** The write loop: pages of members until the segment is exhausted, the campaign paused or cancelled. */
  async function write(id: string): Promise<void> {
    const first = await mustGet(id);
    const rules = await audience.rulesOf(first.segmentId);
    const locales = await templateLocales(first.templateKey);
    const defLocale = await defaultLocale();
    let cursor = first.cursor ?? 0;
    for (;;) {
      const c = await mustGet(id);
      if (c.status !== 'sending' && c.status !== 'scheduled') break;
      const page = await audience.page(rules, cursor, settings().pageSize);
      if (page.length === 0) {
        await repo.transition(id, ['sending', 'scheduled'], c.status, Date.now(), { written_at: Date.now() });
        break;
      }
      const counts = await writePage(c, page, locales, defLocale, Date.now());
      cursor = page[page.length - 1].rowId;
      await repo.advance(id, cursor, counts, Date.now());
    }
    // a pause or cancel that came while a page was being written: apply it to that page's rows too
    const last = await mustGet(id);
    if (last.status === 'paused') await repo.holdMessages(id, Date.now());
    if (last.status === 'cancelled') await repo.cancelMessages(id, Date.now());
  }

  function startWriting(id: string): Promise<void> {
    const running = writing.get(id);
    if (running) return running;
    const p = write(id).finally(() => writing.delete(id));
    writing.set(id, p);
    return p;
  }

  /**
   * Held rows get new jobs at their own send times (rows not due yet keep their delay). Rows are
   * queued under the job's id before the job exists: a job that ran first would find them held.
   */
  async function release(id: string): Promise<void> {
    const runner = delivery().runner();
    const call = randomUUID().replace(/-/g, '').slice(0, 12);
    let after = 0;
    for (let round = 0; ; round++) {
      const held = await repo.heldMessages(id, after, RELEASE_PAGE);
      if (held.length === 0) return;
      after = held[held.length - 1].id;
      const now = Date.now();
      const byTime = new Map<number, number[]>();
      for (const h of held) {
        const at = Math.max(now, h.sendAt);
        byTime.set(at, [...(byTime.get(at) ?? []), h.id]);
      }
      let n = 0;
      for (const [at, ids] of byTime) {
        const jobs: Array<{ jobId: string; ids: number[] }> = [];
        for (let i = 0; i < ids.length; i += runner.batchSize.bulk) jobs.push({ jobId: `b-r${call}-${round}-${n++}`, ids: ids.slice(i, i + runner.batchSize.bulk) });
        for (const j of jobs) await repo.release(j.ids, runner.name === 'bullmq' ? j.jobId : null, Date.now());
        // a failed dispatch leaves queued rows whose job does not exist: the reconciler carries them
        await runner.dispatchJobs('bulk', jobs, at - now);
      }
    }
  }

  /** done once every member is written and no row is waiting any more */
  async function refresh(c: Campaign): Promise<Campaign> {
    if ((c.status === 'sending' || c.status === 'scheduled') && c.writtenAt != null && (await repo.unfinished(c.id)) === 0) {
      const now = Date.now();
      if (await repo.transition(c.id, [c.status], 'done', now, { finished_at: now })) return { ...c, status: 'done', finishedAt: now };
    }
    return c;
  }

  const requireState = async (id: string, from: CampaignStatus[], to: CampaignStatus, extra: Record<string, unknown> = {}) => {
    const c = await mustGet(id);
    if (!(await repo.transition(id, from, to, Date.now(), extra))) throw new CampaignStateError(`campaign "${id}" is ${c.status}: it cannot become ${to} (only from ${from.join(' or ')})`);
  };

  return {
    repo,

    async create(body: unknown): Promise<Campaign> {
      const d = parseDefinition(body);
      if ((await templateLocales(d.templateKey)).length === 0) throw new errors.ValidationError(`templateKey: no template "${d.templateKey}"`);
      await audience.rulesOf(d.segmentId);
      return repo.insert(randomUUID().replace(/-/g, '').slice(0, 16), d, Date.now());
    },

    async list(options: { page?: number; pageSize?: number } = {}) {
      const pageSize = Math.min(Math.max(Math.trunc(options.pageSize ?? 25), 1), 100);
      const page = Math.max(Math.trunc(options.page ?? 1), 1);
      const { items, total } = await repo.list(pageSize, (page - 1) * pageSize);
      return { items: await Promise.all(items.map(refresh)), pagination: { page, pageSize, total } };
    },

    /** the campaign with its messages counted by status (the progress bar) */
    async get(id: string): Promise<CampaignWithProgress> {
      const c = await refresh(await mustGet(id));
      return { ...c, progress: await getService(strapi, 'messages').counts({ campaignId: id }) };
    },

    /**
     * What the campaign did: sent, delivered, opened, clicked, unsubscribed, failed, skipped by
     * reason, and the revenue of orders placed within `days` of a recipient's click.
     * @throws NotFoundError, ValidationError (days outside 1…90)
     */
    async report(id: string, options: { days?: number } = {}): Promise<CampaignReport> {
      const days = options.days ?? REPORT_DAYS.default;
      if (!Number.isInteger(days) || days < REPORT_DAYS.min || days > REPORT_DAYS.max) throw new errors.ValidationError(`days: a whole number of days from ${REPORT_DAYS.min} to ${REPORT_DAYS.max}`);
      await mustGet(id);
      return campaignReport(strapi.db.connection, id, days);
    },

    /**
     * Starts sending: every segment member gets a message row (queued with their send time, or
     * skipped with the reason). Resolves when all members are written (`wait: false`: at once).
     */
    async send(id: string, options: { wait?: boolean } = {}): Promise<CampaignWithProgress> {
      const c = await mustGet(id);
      const to: CampaignStatus = c.schedule.mode === 'now' ? 'sending' : 'scheduled';
      await requireState(id, ['draft'], to, { started_at: Date.now() });
      const p = startWriting(id);
      if (options.wait === false) p.catch((error) => strapi.log.error(`lifecycle-email: campaign ${id}: ${(error as Error).message}`));
      else await p;
      return this.get(id);
    },

    /** Holds every unsent message (their jobs pass them by) and stops writing new ones. */
    async pause(id: string): Promise<CampaignWithProgress> {
      await requireState(id, ['sending', 'scheduled'], 'paused');
      await repo.holdMessages(id, Date.now());
      return this.get(id);
    },

    /** Gives the held messages new jobs and writes the members not written yet. */
    async resume(id: string, options: { wait?: boolean } = {}): Promise<CampaignWithProgress> {
      const c = await mustGet(id);
      await requireState(id, ['paused'], c.schedule.mode === 'now' ? 'sending' : 'scheduled');
      await release(id);
      if (c.writtenAt == null) {
        const p = startWriting(id);
        if (options.wait === false) p.catch((error) => strapi.log.error(`lifecycle-email: campaign ${id}: ${(error as Error).message}`));
        else await p;
      }
      return this.get(id);
    },

    /** Unsent messages become skipped "cancelled"; the campaign cannot be restarted. */
    async cancel(id: string): Promise<CampaignWithProgress> {
      await requireState(id, ['draft', 'scheduled', 'sending', 'paused'], 'cancelled', { finished_at: Date.now() });
      await repo.cancelMessages(id, Date.now());
      return this.get(id);
    },

    /**
     * Restarts the write loops a stopped process left unfinished (bootstrap). They continue after
     * their cursor; a member written twice is one message (idempotency keys).
     */
    async resumeInterrupted(): Promise<number> {
      const ids = await repo.interrupted();
      for (const id of ids) startWriting(id).catch((error) => strapi.log.error(`lifecycle-email: campaign ${id}: ${(error as Error).message}`));
      return ids.length;
    },

    /** the write loops in hand (plugin destroy waits for them) */
    async idle(): Promise<void> {
      await Promise.allSettled([...writing.values()]);
    },
  };
};
