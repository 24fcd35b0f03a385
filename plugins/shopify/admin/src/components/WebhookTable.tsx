import { Badge, Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Webhook, WebhookStatus } from '../utils/types';

const t = (id: string) => `shopify.webhooks.${id}`;
const COLORS: Record<WebhookStatus, { background: string; text: string }> = {
  received: { background: 'primary100', text: 'primary700' },
  processed: { background: 'success100', text: 'success700' },
  failed: { background: 'danger100', text: 'danger700' },
  ignored: { background: 'neutral150', text: 'neutral700' },
};

interface Props {
  rows: Webhook[];
  counts: Record<WebhookStatus, number> | null;
  /** the status the list shows (null: all) */
  filter: WebhookStatus | null;
  onFilter(status: WebhookStatus | null): void;
  canRetry: boolean;
  retrying: string | null;
  onRetry(id: string): void;
}

/** Recent webhooks: when, shop, topic, status, attempts, the error of failed ones and their retry; a status count filters the list. */
export const WebhookTable = ({ rows, counts, filter, onFilter, canRetry, retrying, onRetry }: Props) => {
  const { formatMessage, formatDate } = useIntl();
  const when = (ms: number) => formatDate(ms, { dateStyle: 'short', timeStyle: 'medium' });
  const statusLabel = (s: WebhookStatus) => formatMessage({ id: t(`status.${s}`), defaultMessage: s });
  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius data-testid="shopify-webhooks">
      <Flex justifyContent="space-between" alignItems="center" paddingBottom={3}>
        <Typography variant="delta" tag="h2">
          {formatMessage({ id: t('title'), defaultMessage: 'Recent webhooks' })}
        </Typography>
        {counts && (
          <Flex gap={2} data-testid="shopify-webhook-counts">
            <Button size="S" variant={filter === null ? 'secondary' : 'tertiary'} onClick={() => onFilter(null)} data-testid="shopify-webhook-filter-all" aria-pressed={filter === null}>
              {formatMessage({ id: t('filter.all'), defaultMessage: 'All' })}
            </Button>
            {(['received', 'processed', 'failed', 'ignored'] as const).map((s) => (
              <Button key={s} size="S" variant={filter === s ? 'secondary' : 'tertiary'} onClick={() => onFilter(s)} data-testid={`shopify-webhook-filter-${s}`} aria-pressed={filter === s}>
                {`${statusLabel(s)} ${counts[s]}`}
              </Button>
            ))}
          </Flex>
        )}
      </Flex>
      {rows.length === 0 ? (
        <Typography textColor="neutral600">
          {filter ? formatMessage({ id: t('emptyFiltered'), defaultMessage: 'No webhook with this status.' }) : formatMessage({ id: t('empty'), defaultMessage: 'No webhooks received yet.' })}
        </Typography>
      ) : (
        <Table colCount={7} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              {['receivedAt', 'shop', 'topic', 'status', 'attempts', 'error', 'actions'].map((c) => (
                <Th key={c}>
                  <Typography variant="sigma">{formatMessage({ id: t(`col.${c}`), defaultMessage: c })}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((w) => (
              <Tr key={w.webhookId} data-testid="shopify-webhook-row" data-status={w.status} data-topic={w.topic}>
                <Td>
                  <Typography variant="pi">{when(w.receivedAt)}</Typography>
                </Td>
                <Td>
                  <Typography variant="pi">{w.shop}</Typography>
                </Td>
                <Td>
                  <Typography variant="pi">{w.topic}</Typography>
                </Td>
                <Td>
                  <Badge backgroundColor={COLORS[w.status].background} textColor={COLORS[w.status].text}>
                    {statusLabel(w.status)}
                  </Badge>
                </Td>
                <Td>
                  <Typography variant="pi">{w.attempts}</Typography>
                </Td>
                <Td>
                  <Typography variant="pi" textColor="danger600" ellipsis title={w.error ?? undefined}>
                    {w.error ?? ''}
                  </Typography>
                </Td>
                <Td>
                  {canRetry && w.status === 'failed' && (
                    <Button size="S" variant="secondary" loading={retrying === w.webhookId} onClick={() => onRetry(w.webhookId)} data-testid="shopify-webhook-retry">
                      {formatMessage({ id: t('retry'), defaultMessage: 'Retry' })}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Box>
  );
};
