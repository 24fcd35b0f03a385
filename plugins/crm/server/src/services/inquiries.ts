import type { Core } from '@strapi/strapi';
import {
  type CrmInquiries,
  INQUIRY_CHANNELS,
  INQUIRY_STATUSES,
  type InquiryInput,
  type InquiryStatus,
  type StoredTouchpoint,
  service,
} from '@moat/contracts';
import { INQUIRY_UID } from '../utils/constants';
import { assertValid, type FieldError } from '../utils/traits';

const INCOTERMS = ['EXW', 'FCA', 'FAS', 'FOB', 'CFR', 'CIF', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP'];
/** form kinds that are a buyer asking something (newsletter sign-ups are not inquiries) */
const INQUIRY_FORMS = new Set(['inquiry', 'contact']);

const text = (value: unknown, max: number) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined);
const positive = (value: unknown) => {
  const n = typeof value === 'string' ? Number(value.replace(',', '.')) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
};

function check(input: InquiryInput): FieldError[] {
  const errs: FieldError[] = [];
  if (!input.customerId) errs.push({ path: ['customerId'], message: 'is required' });
  if (!(INQUIRY_CHANNELS as readonly string[]).includes(input.channel)) errs.push({ path: ['channel'], message: `must be one of ${INQUIRY_CHANNELS.join(', ')}` });
  if (input.quantity !== undefined && !(Number.isFinite(input.quantity) && input.quantity > 0)) errs.push({ path: ['quantity'], message: 'must be a positive number' });
  if (input.targetPrice !== undefined && !(Number.isFinite(input.targetPrice) && input.targetPrice >= 0)) errs.push({ path: ['targetPrice'], message: 'must be a number ≥ 0' });
  if (input.currency !== undefined && !/^[A-Z]{3}$/.test(input.currency)) errs.push({ path: ['currency'], message: 'must be an ISO 4217 code such as "EUR"' });
  if (input.incoterm !== undefined && !INCOTERMS.includes(input.incoterm)) errs.push({ path: ['incoterm'], message: `must be one of ${INCOTERMS.join(', ')}` });
  if (input.product && !text(input.product.key, 128)) errs.push({ path: ['product', 'key'], message: 'is required with a product' });
  return errs;
}

/**
 * Inquiries (RFQs and questions). Every created inquiry writes an `inquiry_created`
 * touchpoint and every status change a `stage_changed` one (the funnel reads exactly these).
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const docs = () => strapi.documents(INQUIRY_UID);
  const touchpoints = () => service(strapi, 'tracking', 'touchpoints');

  const byDedupeKey = async (dedupeKey: string) =>
    (await strapi.db.connection('crm_inquiries').where('dedupe_key', dedupeKey).first('document_id'))?.document_id as string | undefined;

  const api: CrmInquiries & { fromTouchpoint(tp: StoredTouchpoint): Promise<{ documentId: string; created: boolean } | null> } = {
    /** Creates an inquiry once per dedupe key (the unique dedupe_key column decides a race). */
    async create(input: InquiryInput) {
      assertValid(check(input));
      const dedupeKey = input.dedupeKey?.slice(0, 128);
      if (dedupeKey) {
        const existing = await byDedupeKey(dedupeKey);
        if (existing) return { documentId: existing, created: false };
      }
      const at = input.at === undefined ? Date.now() : new Date(input.at).getTime();
      const product = input.product ? { key: text(input.product.key, 128) as string, title: text(input.product.title, 255) } : undefined;
      let documentId: string;
      try {
        const created = await docs().create({
          data: {
            customer: input.customerId,
            productKey: product?.key,
            productTitle: product?.title,
            variant: text(input.product?.variant, 255),
            quantity: input.quantity,
            unit: text(input.unit, 32),
            targetPrice: input.targetPrice,
            currency: input.currency,
            incoterm: input.incoterm,
            // stored as typed: the admin renders it as text (React escapes), never as HTML
            message: text(input.message, 10000),
            language: text(input.language, 16),
            channel: input.channel,
            status: 'new',
            sourceTouchpointId: input.sourceTouchpointId?.slice(0, 64),
            dedupeKey,
          } as never,
        });
        documentId = created.documentId;
      } catch (error) {
        const existing = dedupeKey ? await byDedupeKey(dedupeKey) : undefined;
        if (existing) return { documentId: existing, created: false };
        throw error;
      }
      const props: Record<string, unknown> = { inquiry_id: documentId, channel: input.channel };
      if (product) props.product = product.title ? product : { key: product.key };
      if (input.quantity !== undefined) props.quantity = input.quantity;
      if (input.language) props.language = input.language;
      if (input.message) props.message = input.message.slice(0, 500);
      await touchpoints()?.record({
        type: 'inquiry_created',
        channel: 'crm',
        occurredAt: at,
        customerId: input.customerId,
        properties: props,
        dedupeKey: `crm:inquiry:${documentId}`,
      });
      return { documentId, created: true };
    },

    async setStatus(documentId, to, extra = {}) {
      if (!(INQUIRY_STATUSES as readonly string[]).includes(to)) assertValid([{ path: ['status'], message: `must be one of ${INQUIRY_STATUSES.join(', ')}` }]);
      const current = (await docs().findOne({ documentId, populate: ['customer'] as never })) as
        | (Record<string, unknown> & { status?: InquiryStatus; customer?: { documentId: string } | null })
        | null;
      if (!current) assertValid([{ path: ['documentId'], message: 'no such inquiry' }]);
      const from = (current?.status ?? null) as InquiryStatus | null;
      if (from === to) return { from, to };
      await docs().update({ documentId, data: { status: to, ...(to === 'lost' && extra.lostReason ? { lostReason: extra.lostReason.slice(0, 255) } : {}) } as never });
      const at = extra.at === undefined ? Date.now() : new Date(extra.at).getTime();
      const props: Record<string, unknown> = { entity: 'inquiry', id: documentId, from, to };
      if (extra.value !== undefined) props.value = extra.value;
      if (extra.currency) props.currency = extra.currency;
      await touchpoints()?.record({
        type: 'stage_changed',
        channel: 'crm',
        occurredAt: at,
        customerId: current?.customer?.documentId ?? null,
        properties: props,
        dedupeKey: `crm:inquiry:${documentId}:${from}>${to}:${at}`,
      });
      return { from, to };
    },

    /**
     * A stored form_submit of an inquiry or contact form → one inquiry for its customer
     * (already identified by the collect flush or the server API). The dedupe key comes from
     * the touchpoint's, so the same submission delivered twice makes one inquiry.
     */
    async fromTouchpoint(tp: StoredTouchpoint) {
      if (tp.type !== 'form_submit' || !tp.customerId) return null;
      const props = tp.properties ?? {};
      const kind = typeof props.form === 'string' ? props.form : '';
      if (!INQUIRY_FORMS.has(kind)) return null;
      const fields = (props.fields && typeof props.fields === 'object' ? props.fields : {}) as Record<string, unknown>;
      const product = (props.product && typeof props.product === 'object' ? props.product : null) as Record<string, unknown> | null;
      const key = text(product?.id != null ? String(product.id) : product?.handle ?? fields.product, 128);
      const quantity = positive(fields.quantity);
      return api.create({
        customerId: tp.customerId,
        product: key ? { key, title: text(product?.title ?? fields.product, 255) } : undefined,
        quantity,
        message: text(fields.message, 10000),
        language: text(props.language, 16),
        channel: 'form',
        sourceTouchpointId: tp.id != null ? String(tp.id) : undefined,
        dedupeKey: `tp:${tp.dedupeKey ?? `${tp.visitorId}:${tp.occurredAt}`}`.slice(0, 128),
        at: tp.occurredAt,
      });
    },
  };
  return api;
};
