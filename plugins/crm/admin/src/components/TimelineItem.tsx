/**
 * One touchpoint on the customer page: an icon per channel and a line saying what happened, in
 * the admin's language. Every value is rendered as React text (escaped): a `<script>` typed into
 * a storefront form shows as those characters.
 */
import { Box, Flex, Typography } from '@strapi/design-system';
import { Bell, Discuss, Globe, Mail, Message, Pencil, Phone, Server, ShoppingCart, Store } from '@strapi/icons';
import { useIntl } from 'react-intl';
import { useT } from '../utils/t';

export interface Touchpoint {
  id: number;
  type: string;
  channel: string;
  occurredAt: string;
  url: string | null;
  path: string | null;
  properties: Record<string, unknown>;
  /** engaged time on a page (from the engagement events that followed it) */
  dwellMs?: number;
  /** the event's products as the catalog names them (tracking's timeline), e.g. "Widget × 2, €12.00" */
  summary?: string;
}

const ICONS: Record<string, typeof Globe> = { web: Globe, email: Mail, whatsapp: Message, live_chat: Discuss, chat: Discuss, messenger: Discuss, phone: Phone, shopify: Store, woocommerce: Store, erp: Server, crm: Pencil };
export const ChannelIcon = ({ channel }: { channel: string }) => {
  const Icon = ICONS[channel] ?? (channel.includes('shop') ? ShoppingCart : Bell);
  return (
    <Box data-testid={`crm-channel-${channel}`} title={channel}>
      <Icon width="1.6rem" height="1.6rem" />
    </Box>
  );
};

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);
/** a product's name wherever the event carries it (the catalog's resolved product first) */
export const productName = (p: Record<string, unknown>): string | null => {
  const product = p.product as Record<string, unknown> | undefined;
  return str(product?.title) ?? str(p.product_title) ?? str(p.title) ?? str(p.name) ?? str(p.product_id) ?? str(p.sku);
};
const itemsOf = (p: Record<string, unknown>) =>
  (Array.isArray(p.items) ? (p.items as Array<Record<string, unknown>>) : Array.isArray(p.line_items) ? (p.line_items as Array<Record<string, unknown>>) : [])
    .slice(0, 20)
    .map((i) => `${productName(i) ?? str(i.variant_id) ?? '?'} × ${str(i.quantity) ?? 1}`)
    .join(', ');

export const TimelineItem = ({ tp }: { tp: Touchpoint }) => {
  const t = useT();
  const { formatTime, formatNumber } = useIntl();
  const p = tp.properties ?? {};
  const label = t(`type.${tp.type}`);
  // the catalog's product names, when the timeline resolved them; else what the event carries
  const products = tp.summary ?? null;
  let detail: string | null = null;
  switch (tp.type) {
    case 'page_view':
      detail = [str(p.title) ?? tp.path ?? tp.url, tp.dwellMs ? t('dwell', { seconds: Math.round(tp.dwellMs / 1000) }) : null].filter(Boolean).join(' · ');
      break;
    case 'product_view':
      detail = [products ?? productName(p), str(p.price) && `${str(p.price)} ${str(p.currency) ?? ''}`].filter(Boolean).join(' · ');
      break;
    case 'form_submit': {
      const fields = (p.fields ?? {}) as Record<string, unknown>;
      detail = [str(p.kind), ...Object.entries(fields).slice(0, 12).map(([k, v]) => `${k}: ${str(v) ?? ''}`)].filter(Boolean).join(' · ');
      break;
    }
    case 'follow_up_logged':
      detail = [str(p.note), str(p.outcome)].filter(Boolean).join(' · ');
      break;
    case 'stage_changed':
      detail = `${t(`entity.${str(p.entity) ?? 'customer'}`)}: ${str(p.from) ?? '—'} → ${str(p.to) ?? '—'}${str(p.reason) ? ` (${str(p.reason)})` : ''}`;
      break;
    case 'tier_changed':
      detail = `${p.from ? t(`tier.${str(p.from)}`) : '—'} → ${t(`tier.${str(p.to)}`)}`;
      break;
    case 'order_placed':
    case 'order_fulfilled':
    case 'checkout_abandoned': {
      // Shopify and WooCommerce send `total` (a string); the server-side API sends `value`
      const worth = str(p.total) ?? str(p.value);
      detail = [str(p.order_id) ?? str(p.orderId), products ?? itemsOf(p), worth && `${formatNumber(Number(worth))} ${str(p.currency) ?? ''}`].filter(Boolean).join(' · ');
      break;
    }
    case 'message_received':
    case 'message_sent':
      detail = str(p.text) ?? str(p.body) ?? str(p.message);
      break;
    case 'inquiry_created':
      detail = [products ?? productName(p), products ? null : str(p.quantity), str(p.message)].filter(Boolean).join(' · ');
      break;
    default:
      detail = tp.type.startsWith('cart_') ? (products ?? itemsOf(p)) : tp.type.startsWith('email_') ? (str(p.subject) ?? str(p.template)) : (str(p.title) ?? products ?? productName(p));
  }
  return (
    <Flex gap={3} paddingTop={2} paddingBottom={2} alignItems="flex-start" data-testid="crm-timeline-item" data-type={tp.type} data-channel={tp.channel}>
      <Typography variant="pi" textColor="neutral600" style={{ width: 50 }}>
        {formatTime(new Date(tp.occurredAt))}
      </Typography>
      <ChannelIcon channel={tp.channel} />
      <Box>
        <Typography fontWeight="bold">{label}</Typography>
        {detail && (
          <Typography tag="p" variant="omega" data-testid="crm-timeline-detail">
            {detail}
          </Typography>
        )}
      </Box>
    </Flex>
  );
};

/** engagement events give their page its dwell time and leave the list; the rest stays, newest first */
export function withDwell(items: Touchpoint[]): Touchpoint[] {
  const oldestFirst = [...items].reverse();
  const lastPage = new Map<string, Touchpoint>();
  const out: Touchpoint[] = [];
  for (const tp of oldestFirst) {
    if (tp.type === 'page_view') {
      const copy = { ...tp };
      lastPage.set(tp.url ?? '', copy);
      out.push(copy);
    } else if (tp.type === 'engagement') {
      const page = lastPage.get(tp.url ?? '');
      const ms = Number(tp.properties?.engaged_ms);
      if (page && Number.isFinite(ms)) page.dwellMs = (page.dwellMs ?? 0) + ms;
      else out.push(tp);
    } else out.push(tp);
  }
  return out.reverse();
}
