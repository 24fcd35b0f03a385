import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { messageLinks, trackHtml } from '../compliance/links';
import { consentPort, type EmailTouchpoint, touchpointsPort } from '../compliance/ports';
import type { TokenSigner } from '../compliance/tokens';
import type { RenderEngine, TemplateVersion } from '../render/engine';
import type { MailTransport } from '../transport/types';
import { renderMessage } from './render-message';
import type { MessageRepository } from './repository';
import { backoffMs, classifySmtpError } from './smtp-errors';
import type { Lane, MessageRow } from './types';

type Suppression = { reason: string; detail: string | null };

export interface DeliverySettings {
  from: string;
  baseUrl: string;
  leaseMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** sends at once per batch job (the transport pool bounds the real parallelism) */
  concurrency: number;
  unsubscribeTtlDays: number;
  trackingTtlDays: number;
}

/** What happened to one claimed row; `retryAt` asks the runner to carry it again later. */
export type Outcome = { id: number; status: 'sent' | 'failed' | 'skipped' | 'lost' } | { id: number; status: 'retry'; retryAt: number; lane: Lane };

export interface DeliverDeps {
  strapi: Core.Strapi;
  repo: MessageRepository;
  engine: RenderEngine;
  resolveTemplate(key: string, locale: string | null): Promise<TemplateVersion | null>;
  transport(lane: Lane): MailTransport;
  signer: TokenSigner;
  settings(): DeliverySettings;
  now?: () => number;
}

/**
 * Sends claimed rows: the one place that decides skip / send / retry / fail for a message.
 * A row is claimed (conditional UPDATE) before anything leaves, so a job carried twice (a
 * re-enqueue after a Redis flush, two workers) sends a row at most once while its worker lives.
 */
export function createDeliverer(deps: DeliverDeps) {
  const now = deps.now ?? Date.now;
  const touchpoints = touchpointsPort(deps.strapi);
  const consent = consentPort(deps.strapi);
  const log = deps.strapi.log;

  const props = (m: MessageRow) => ({
    message_id: m.id,
    template: m.templateKey,
    ...(m.campaignId ? { campaign_id: m.campaignId } : {}),
    ...(m.flowId ? { flow_id: m.flowId } : {}),
  });

  /** Why this row must not be sent, or null. */
  async function skipReason(m: MessageRow, suppressed: Suppression | undefined): Promise<string | null> {
    if (suppressed?.reason === 'bounced') return `suppressed: address bounced (${suppressed.detail ?? 'hard bounce'})`;
    if (m.kind === 'marketing') {
      if (suppressed?.reason === 'unsubscribed') return 'suppressed: recipient unsubscribed';
      if (!(await consent.allowsMarketing(m.customerId))) return 'no_consent: customer has no email marketing consent';
    }
    return null;
  }

  async function one(m: MessageRow, claim: string, suppressed: Suppression | undefined, events: EmailTouchpoint[]): Promise<Outcome> {
    const s = deps.settings();
    const finish = (patch: Parameters<MessageRepository['finish']>[2]) => deps.repo.finish(m.id, claim, patch, now());
    const reason = await skipReason(m, suppressed);
    if (reason) {
      await finish({ status: 'skipped', reason });
      return { id: m.id, status: 'skipped' };
    }
    const template = await deps.resolveTemplate(m.templateKey, m.locale);
    if (!template) {
      await finish({ status: 'failed', reason: `template "${m.templateKey}" not found` });
      return { id: m.id, status: 'failed' };
    }
    const linkOptions = { baseUrl: s.baseUrl, signer: deps.signer, messageId: m.id, nowMs: now(), unsubscribeTtlDays: s.unsubscribeTtlDays, trackingTtlDays: s.trackingTtlDays };
    const links = messageLinks(linkOptions);
    let rendered: { subject: string; html: string; text: string };
    try {
      rendered = await renderMessage(deps.engine, template, m, links);
    } catch (error) {
      await finish({ status: 'failed', reason: `render: ${(error as Error).message}`.slice(0, 500) });
      return { id: m.id, status: 'failed' };
    }
    try {
      const result = await deps.transport(m.lane).send({
        subject: rendered.subject,
        html: trackHtml(rendered.html, linkOptions, links),
        text: rendered.text,
        from: s.from,
        to: m.recipient,
        unsubscribeUrl: links.unsubscribe,
        sendId: `m${m.id}-${m.idempotencyKey.length}`,
      });
      const ok = await finish({ status: 'sent', providerMessageId: result.messageId });
      if (!ok) log.warn(`lifecycle-email: message ${m.id} was sent but its claim had passed to another worker (lease too short?)`);
      events.push({ type: 'email_sent', customerId: m.customerId, occurredAt: now(), properties: props(m), dedupeKey: `email_sent:${m.id}` });
      return { id: m.id, status: 'sent' };
    } catch (error) {
      const failure = classifySmtpError(error);
      if (failure.class === 'permanent') {
        await deps.repo.suppressions.add(m.recipient, 'bounced', `${failure.code ?? ''} ${failure.detail}`.trim(), m.id, now());
        await finish({ status: 'failed', reason: `permanent: ${failure.detail}` });
        events.push({ type: 'email_bounced', customerId: m.customerId, occurredAt: now(), properties: props(m), dedupeKey: `email_bounced:${m.id}` });
        log.warn(`lifecycle-email: message ${m.id} to ${m.recipient} bounced (${failure.code}): address suppressed`);
        return { id: m.id, status: 'failed' };
      }
      if (m.attempts >= s.maxAttempts) {
        await finish({ status: 'failed', reason: `gave up after ${m.attempts} attempts: ${failure.detail}` });
        return { id: m.id, status: 'failed' };
      }
      const retryAt = now() + backoffMs(m.attempts, s.retryBaseMs);
      await finish({ status: 'queued', reason: `retry ${m.attempts}: ${failure.detail}`, sendAt: retryAt, jobId: null });
      return { id: m.id, status: 'retry', retryAt, lane: m.lane };
    }
  }

  return {
    /** Claims the due rows among `ids` and sends them; rows someone else holds are left alone. */
    async deliver(ids: number[]): Promise<Outcome[]> {
      const s = deps.settings();
      const claim = randomUUID();
      const rows = await deps.repo.claim(ids, claim, s.leaseMs, now());
      const suppressions = rows.length > 0 ? await deps.repo.suppressions.many(rows.map((r) => r.recipient)) : new Map<string, Suppression>();
      const events: EmailTouchpoint[] = [];
      const outcomes: Outcome[] = [];
      let next = 0;
      const lane = async () => {
        while (next < rows.length) {
          const m = rows[next++];
          outcomes.push(await one(m, claim, suppressions.get(m.recipient), events));
        }
      };
      await Promise.all(Array.from({ length: Math.min(s.concurrency, rows.length) }, lane));
      await touchpoints.record(events).catch((error) => log.error(`lifecycle-email: recording ${events.length} email touchpoints failed: ${(error as Error).message}`));
      return outcomes;
    },
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
