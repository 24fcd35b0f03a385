import { Badge, Box, Button, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { Progress } from '../utils/types';

const RESOURCES = ['customers', 'orders', 'products'] as const;
const t = (id: string) => `shopify.backfill.${id}`;

/** done of total as a whole percent; null while Shopify's count is not read yet */
export const percentOf = (p: Pick<Progress, 'done' | 'total' | 'status'>): number | null => {
  if (p.status === 'done') return 100;
  if (p.total == null) return null;
  return p.total === 0 ? 100 : Math.min(100, Math.floor((p.done / p.total) * 100));
};

const BADGE: Record<Progress['status'], { background: string; text: string }> = {
  pending: { background: 'neutral150', text: 'neutral700' },
  running: { background: 'primary100', text: 'primary700' },
  done: { background: 'success100', text: 'success700' },
  failed: { background: 'danger100', text: 'danger700' },
};

const FILL: Record<Progress['status'], string> = { pending: 'neutral300', running: 'primary600', done: 'success500', failed: 'danger500' };

/** A full-width bar (the design system's ProgressBar is a small white-on-dark one for overlays). */
const Bar = ({ percent, status, label }: { percent: number; status: Progress['status']; label: string }) => (
  <Box flex="1" background="neutral150" hasRadius height="8px" overflow="hidden" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
    <Box background={FILL[status]} height="100%" width={`${percent}%`} style={{ transition: 'width 0.4s ease' }} />
  </Box>
);

export const StatusBadge = ({ status, label }: { status: Progress['status']; label: string }) => (
  <Badge backgroundColor={BADGE[status].background} textColor={BADGE[status].text}>
    {label}
  </Badge>
);

/**
 * One shop's backfill: customers, orders and products with counts, percent, a progress bar,
 * status and the last error; "Start backfill" for admins who may run it.
 */
export const BackfillPanel = ({ shop, rows, canRun, installed, starting, onStart }: { shop: string; rows: Progress[]; canRun: boolean; installed: boolean; starting: boolean; onStart(): void }) => {
  const { formatMessage, formatNumber } = useIntl();
  const byResource = new Map(rows.map((r) => [r.resource, r]));
  const active = rows.some((r) => r.status === 'running' || r.status === 'pending');
  return (
    <Box paddingTop={3} data-testid={`backfill-${shop}`}>
      <Flex justifyContent="space-between" alignItems="center" paddingBottom={2}>
        <Typography variant="sigma" textColor="neutral600">
          {formatMessage({ id: t('title'), defaultMessage: 'Import of existing data' })}
        </Typography>
        {canRun && installed && (
          <Button size="S" variant="secondary" loading={starting} disabled={starting || active} onClick={onStart} data-testid={`backfill-start-${shop}`}>
            {formatMessage({ id: t('start'), defaultMessage: 'Start backfill' })}
          </Button>
        )}
      </Flex>
      {rows.length === 0 ? (
        <Typography variant="pi" textColor="neutral600" data-testid={`backfill-none-${shop}`}>
          {formatMessage({ id: t('none'), defaultMessage: 'Not started yet.' })}
        </Typography>
      ) : (
        <Flex direction="column" alignItems="stretch" gap={2}>
          {RESOURCES.map((resource) => {
            const row = byResource.get(resource);
            if (!row) return null;
            const percent = percentOf(row);
            return (
              <Flex key={resource} direction="column" alignItems="stretch" gap={1} data-testid={`backfill-${shop}-${resource}`} data-status={row.status} data-percent={percent ?? ''}>
                <Flex gap={3} alignItems="center">
                  <Box minWidth="90px">
                    <Typography fontWeight="semiBold">{formatMessage({ id: t(`resource.${resource}`), defaultMessage: resource })}</Typography>
                  </Box>
                  <Bar percent={percent ?? 0} status={row.status} label={formatMessage({ id: t(`resource.${resource}`), defaultMessage: resource })} />
                  <Box minWidth="150px" textAlign="right">
                    <Typography variant="pi" data-testid={`backfill-${shop}-${resource}-count`}>
                        {formatMessage(
                        { id: t('count'), defaultMessage: '{done} of {total} ({percent})' },
                        { done: formatNumber(row.done), total: row.total == null ? '…' : formatNumber(row.total), percent: percent == null ? '…' : `${percent}%` },
                      )}
                    </Typography>
                  </Box>
                  <StatusBadge status={row.status} label={formatMessage({ id: t(`status.${row.status}`), defaultMessage: row.status })} />
                </Flex>
                {row.error && (
                  <Typography variant="pi" textColor="danger600" data-testid={`backfill-${shop}-${resource}-error`}>
                    {formatMessage({ id: t('error'), defaultMessage: 'Last error: {message}' }, { message: row.error })}
                  </Typography>
                )}
              </Flex>
            );
          })}
        </Flex>
      )}
    </Box>
  );
};
