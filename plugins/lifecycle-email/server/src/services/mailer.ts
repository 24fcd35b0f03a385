import { randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_DELIVERY, type LifecycleEmailConfig } from '../config';
import type { Lane } from '../delivery/types';
import { describeUnresolved } from '../render/errors';
import { createOutboxTransport } from '../transport/outbox';
import { createSmtpTransport } from '../transport/smtp';
import type { DeliveryResult, MailTransport } from '../transport/types';
import { PLUGIN_ID, TEMPLATE_UID } from '../utils/constants';
import { getService } from '../utils/get-service';

/** The configured transport (one per process) and the "send test email" use case. */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  let transport: MailTransport | undefined;
  // one SMTP pool per lane: nodemailer queues sends per pool, so a shared pool would put a
  // shipping notice behind every campaign message already handed to it
  const laneTransports = new Map<Lane, MailTransport>();
  const cfg = <K extends keyof LifecycleEmailConfig>(k: K) => strapi.plugin(PLUGIN_ID).config(k) as LifecycleEmailConfig[K];

  return {
    transport(): MailTransport {
      if (!transport) {
        if (cfg('transport') === 'smtp') {
          const smtp = cfg('smtp');
          transport = createSmtpTransport({ ...smtp, domain: cfg('domain') });
        } else {
          const dir = cfg('outboxDir');
          transport = createOutboxTransport(isAbsolute(dir) ? dir : join(strapi.dirs.app.root, dir), cfg('domain'));
        }
      }
      return transport;
    },

    /** The transport of a delivery lane (the outbox is one folder for both). */
    laneTransport(lane: Lane): MailTransport {
      if (cfg('transport') !== 'smtp') return this.transport();
      let t = laneTransports.get(lane);
      if (!t) {
        const delivery = { ...DEFAULT_DELIVERY, ...cfg('delivery') };
        t = createSmtpTransport({ ...cfg('smtp'), domain: cfg('domain'), maxConnections: lane === 'bulk' ? delivery.bulkConnections : delivery.transactionalConnections });
        laneTransports.set(lane, t);
      }
      return t;
    },

    /**
     * Renders a saved template with its sample data (or a real CRM customer's data over it)
     * and sends it to one address, marked as a test.
     * @throws NotFoundError for an unknown template/locale or customer, ValidationError when it cannot render
     */
    async sendTest(documentId: string, locale: string, to: string, customerId?: string | null): Promise<DeliveryResult> {
      const t = (await strapi.documents(TEMPLATE_UID).findOne({ documentId, locale })) as any;
      if (!t) throw new errors.NotFoundError(`No email template ${documentId} in locale "${locale}"`);
      const sampleData = (t.sampleData ?? {}) as Record<string, unknown>;
      const data = customerId ? await getService(strapi, 'previewCustomers').dataFor(customerId, sampleData) : sampleData;
      const preview = await getService(strapi, 'templates').preview({ subject: t.subject, preheader: t.preheader, mjml: t.mjml, textOverride: t.textOverride, data });
      // foreign placeholders only warn: the test shows the admin what recipients would see
      if (!preview.html || preview.errors.length > 0 || preview.unresolved.length > 0) {
        const unplaced = preview.unresolved.length === 0 ? preview.warnings.filter((w) => w.startsWith('Unresolved')) : [];
        throw new errors.ValidationError(`Template cannot be sent: ${[...preview.errors.map((e) => `line ${e.line}: ${e.message}`), ...preview.unresolved.map((v) => `unresolved variable ${describeUnresolved(v)}`), ...unplaced].join('; ')}`);
      }
      const sample = (t.sampleData ?? {}) as { links?: { unsubscribe?: string } };
      return this.transport().send({
        subject: `[TEST] ${preview.subject}`,
        html: preview.html,
        text: preview.text ?? '',
        from: cfg('from'),
        to,
        unsubscribeUrl: sample.links?.unsubscribe ?? `https://${cfg('domain')}/unsubscribe`,
        sendId: `test-${randomUUID()}`,
      });
    },

    async close(): Promise<void> {
      for (const t of laneTransports.values()) await t.close();
      laneTransports.clear();
      await transport?.close();
      transport = undefined;
    },
  };
};
