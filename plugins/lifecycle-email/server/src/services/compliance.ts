import type { Core } from '@strapi/strapi';
import { type LinkOptions, messageLinks } from '../compliance/links';
import { consentPort, touchpointsPort } from '../compliance/ports';
import { isPrivacyProxy } from '../compliance/proxy';
import { TokenError, type TokenPurpose } from '../compliance/tokens';
import { DEFAULT_DELIVERY, type DeliveryConfig } from '../config';
import { renderMessage } from '../delivery/render-message';
import type { MessageRow } from '../delivery/types';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';

/**
 * What recipients do with the links in their mail: unsubscribe (one-click or on the page),
 * subscribe again, open (pixel), click (signed redirect), view in the browser. Each checks the
 * link's signature and expiry first; each leaves a touchpoint on the customer's timeline.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const delivery = () => getService(strapi, 'delivery');
  const touchpoints = touchpointsPort(strapi);
  const consent = consentPort(strapi);

  const props = (m: MessageRow) => ({ message_id: m.id, template: m.templateKey, ...(m.campaignId ? { campaign_id: m.campaignId } : {}), ...(m.flowId ? { flow_id: m.flowId } : {}) });

  /** @throws TokenError: malformed, forged, expired, or a message that no longer exists */
  async function open(token: string, purpose: TokenPurpose) {
    const payload = delivery().tokens().verify(token, purpose);
    const message = await delivery().repo.get(payload.m);
    if (!message) throw new TokenError('forged');
    return { payload, message };
  }

  return {
    verify: open,

    async isSubscribed(m: MessageRow): Promise<boolean> {
      const s = await delivery().repo.suppressions.get(m.recipient);
      return s?.reason !== 'unsubscribed' && s?.reason !== 'bounced';
    },

    /** Stops marketing mail to the address (transactional mail still goes) and records it once per message. */
    async unsubscribe(token: string, via: 'one-click' | 'page'): Promise<MessageRow> {
      const { message } = await open(token, 'u');
      const now = Date.now();
      await delivery().repo.suppressions.add(message.recipient, 'unsubscribed', `via ${via} from message ${message.id}`, message.id, now);
      await consent.setEmailConsent(message.customerId, false, new Date(now));
      await touchpoints.record([{ type: 'unsubscribed', customerId: message.customerId, occurredAt: now, properties: props(message), dedupeKey: `unsubscribed:${message.id}` }]);
      return message;
    },

    async resubscribe(token: string): Promise<MessageRow> {
      const { message } = await open(token, 'u');
      await delivery().repo.suppressions.remove(message.recipient, 'unsubscribed');
      await consent.setEmailConsent(message.customerId, true, new Date());
      return message;
    },

    /** The pixel: proxies (Apple MPP, Gmail's image cache) are marked and not counted as opens. */
    async opened(token: string, client: { userAgent?: string; ip?: string }): Promise<void> {
      const { message } = await open(token, 'o');
      const proxy = isPrivacyProxy(client.userAgent, client.ip);
      const now = Date.now();
      if (!proxy) await delivery().repo.touch(message.id, 'opened_at', now);
      await touchpoints.record([
        { type: 'email_opened', customerId: message.customerId, occurredAt: now, properties: { ...props(message), ...(proxy ? { proxy: true as const } : {}) }, ...(proxy ? { dedupeKey: `email_opened:proxy:${message.id}` } : {}) },
      ]);
    },

    /** @returns the destination signed into the link (only URLs the message contained) */
    async clicked(token: string): Promise<string> {
      const { payload, message } = await open(token, 'c');
      if (!payload.l || !/^https?:\/\//i.test(payload.l)) throw new TokenError('malformed');
      const now = Date.now();
      await delivery().repo.touch(message.id, 'clicked_at', now);
      await touchpoints.record([{ type: 'email_clicked', customerId: message.customerId, occurredAt: now, url: payload.l.slice(0, 2048), properties: { ...props(message), url: payload.l.slice(0, 2048) } }]);
      return payload.l;
    },

    /** The message's HTML as sent (without tracking), for "view in browser". */
    async view(token: string): Promise<string | null> {
      const { message } = await open(token, 'v');
      const template = await getService(strapi, 'templates').resolve(message.templateKey, message.locale);
      if (!template) return null;
      const d: DeliveryConfig = { ...DEFAULT_DELIVERY, ...(strapi.plugin(PLUGIN_ID).config('delivery') as Partial<DeliveryConfig>) };
      const options: LinkOptions = { baseUrl: String(strapi.plugin(PLUGIN_ID).config('publicUrl')).replace(/\/+$/, ''), signer: delivery().tokens(), messageId: message.id, nowMs: Date.now(), unsubscribeTtlDays: d.unsubscribeTtlDays, trackingTtlDays: d.trackingTtlDays };
      return (await renderMessage(getService(strapi, 'templates').engine, template, message, messageLinks(options))).html;
    },
  };
};
