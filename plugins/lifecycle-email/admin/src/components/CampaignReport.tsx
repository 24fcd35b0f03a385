/**
 * A campaign's report (GET /campaigns/:id/report): the counts with their rates, a bar per count
 * scaled to the messages sent, skips by reason, and the revenue of orders within N days of a click.
 */
import { Box, Flex, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { messageOf } from '../utils/errors';

interface Report {
  days: number;
  sent: number;
  failed: number;
  skipped: number;
  skippedBy: Record<string, number>;
  bounced: number;
  delivered: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  orders: number;
  revenue: number;
  rates: Record<'delivered' | 'opened' | 'clicked' | 'unsubscribed' | 'failed', number | null>;
}

const t = (id: string) => `lifecycle-email.campaigns.report.${id}`;
/** the bars, each with the rate shown next to it (of sent for delivered, of delivered for engagement) */
const BARS = ['sent', 'delivered', 'opened', 'clicked', 'unsubscribed', 'bounced', 'failed', 'skipped'] as const;
const RATE: Partial<Record<(typeof BARS)[number], keyof Report['rates']>> = { delivered: 'delivered', opened: 'opened', clicked: 'clicked', unsubscribed: 'unsubscribed', failed: 'failed' };

export const CampaignReport = ({ id, refreshKey }: { id: string; refreshKey: string }) => {
  const { get } = useFetchClient();
  const { formatMessage, formatNumber } = useIntl();
  const [days, setDays] = React.useState('7');
  const [report, setReport] = React.useState<Report | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey changes as the campaign progresses: fetch again then
  React.useEffect(() => {
    setError(null);
    get<{ data: Report }>(`/lifecycle-email/campaigns/${id}/report?days=${encodeURIComponent(days)}`).then(
      ({ data }) => setReport(data.data),
      (e) => setError(messageOf(e)),
    );
  }, [get, id, days, refreshKey]);
  const label = (k: string, def: string) => formatMessage({ id: t(k), defaultMessage: def });
  const scale = Math.max(report?.sent ?? 0, report?.failed ?? 0, report?.skipped ?? 0, 1);
  return (
    <Flex direction="column" alignItems="stretch" gap={3} data-testid="campaign-report">
      <Typography variant="delta" tag="h3">{label('title', 'Report')}</Typography>
      {report && (
        <Box tag="dl">
          {BARS.map((k) => {
            const rate = RATE[k] ? report.rates[RATE[k] as keyof Report['rates']] : null;
            return (
              <Flex key={k} gap={3} paddingBottom={1} data-testid={`report-${k}`} data-value={report[k]}>
                <Box tag="dt" style={{ width: '8rem' }}>
                  <Typography variant="pi">{label(k, k)}</Typography>
                </Box>
                <Box tag="dd" style={{ width: '5rem', textAlign: 'right' }}>
                  <Typography variant="pi" fontWeight="bold">{formatNumber(report[k])}</Typography>
                </Box>
                <Box style={{ width: '4rem' }}>
                  <Typography variant="pi" textColor="neutral600">{rate == null ? '' : formatNumber(rate, { style: 'percent', maximumFractionDigits: 1 })}</Typography>
                </Box>
                <Box background="neutral150" style={{ flex: 1, height: '0.75rem' }} hasRadius>
                  <Box background={k === 'failed' || k === 'bounced' || k === 'unsubscribed' ? 'danger500' : 'primary600'} hasRadius style={{ width: `${Math.round((report[k] / scale) * 100)}%`, height: '100%' }} />
                </Box>
              </Flex>
            );
          })}
        </Box>
      )}
      {report && Object.keys(report.skippedBy).length > 0 && (
        <Typography variant="pi" data-testid="report-skipped-by">
          {label('skippedBy', 'Skipped because')}: {Object.entries(report.skippedBy).map(([reason, n]) => `${formatMessage({ id: t(`reason.${reason}`), defaultMessage: reason })} ${n}`).join(', ')}
        </Typography>
      )}
      <Flex gap={3} alignItems="center">
        <Typography variant="pi">{label('revenueWithin', 'Revenue from orders within this many days of a click')}</Typography>
        <Box style={{ width: '6rem' }}>
          <TextInput type="number" min={1} max={90} aria-label={label('days', 'Days after the click')} value={days} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDays(e.target.value)} />
        </Box>
        {report && (
          <Typography fontWeight="bold" data-testid="report-revenue" data-value={report.revenue}>
            {formatNumber(report.revenue, { maximumFractionDigits: 2 })} ({formatMessage({ id: t('orders'), defaultMessage: '{n} orders' }, { n: report.orders })})
          </Typography>
        )}
      </Flex>
      {error && <Typography textColor="danger600">{error}</Typography>}
    </Flex>
  );
};
