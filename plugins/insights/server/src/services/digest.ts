import type { Core } from '@strapi/strapi';
import { dayOf } from '../utils/days';
import { getService } from '../utils/get-service';
import type { Alert } from './alert';

/** The one thing the digest needs from email: send a message. Lifecycle-email provides it today. */
export interface DigestMailer {
  send(message: { to: string; subject: string; html: string; text: string }): Promise<unknown>;
}

const WEEK_MS = 7 * 86_400_000;

/** The lifecycle-email plugin's send path, behind DigestMailer (it may move to a queue). */
export function lifecycleMailer(strapi: Core.Strapi): DigestMailer | null {
  const mailer = strapi.plugin('lifecycle-email')?.service('mailer') as { transport(): { send(m: Record<string, unknown>): Promise<unknown> } } | undefined;
  if (!mailer) return null;
  const from = strapi.plugin('lifecycle-email').config('from') as string;
  const domain = strapi.plugin('lifecycle-email').config('domain') as string;
  return {
    send: (m) => mailer.transport().send({ ...m, from, unsubscribeUrl: `https://${domain}/admin`, sendId: `insights-digest-${Date.now()}` }),
  };
}

const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

export function digestText(alert: Alert): { subject: string; text: string; html: string } {
  const w = alert.weakest;
  const subject = w ? `Moat weekly: ${w.stage} fell to ${pct(w.rate)} (cost ≈ ${w.cost.toFixed(0)})` : 'Moat weekly: every stage at or above its baseline';
  const lines = alert.stages.map((s) => `${s.stage}: ${pct(s.rate)} (baseline ${pct(s.baselineRate)})${s.lostDeals > 0 ? `, lost deals ≈ ${s.lostDeals.toFixed(1)}, cost ≈ ${s.cost.toFixed(0)}` : ''}`);
  const text = [`${alert.period.from} – ${alert.period.to} against ${alert.baseline.from} – ${alert.baseline.to}`, ...lines].join('\n');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return { subject, text, html: `<p>${esc(lines[0] ? text.split('\n')[0] : '')}</p><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` };
}

/** The optional weekly digest: last seven shop days against the seven before. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let timer: NodeJS.Timeout | undefined;
  return {
    async send(mailer: DigestMailer | null = lifecycleMailer(strapi)): Promise<{ sent: number; alert: Alert }> {
      const { offset, digestTo } = getService(strapi, 'settings').get();
      const today = dayOf(Date.now(), offset);
      const alert = await getService(strapi, 'alert').check(today - 7, today - 1, 'previous');
      const recipients = digestTo.split(/[,;\s]+/).filter(Boolean);
      if (!mailer || recipients.length === 0) return { sent: 0, alert };
      const message = digestText(alert);
      for (const to of recipients) await mailer.send({ to, ...message });
      return { sent: recipients.length, alert };
    },
    start() {
      if (!getService(strapi, 'settings').get().digestTo) return;
      timer = setInterval(() => this.send().catch((e) => strapi.log.warn(`insights: digest failed: ${(e as Error).message}`)), WEEK_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
};
