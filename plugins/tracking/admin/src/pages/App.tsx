/**
 * "Tracking" page for store owners: the site keys and the script tag to install for each, what arrived in
 * the last 24 hours (by type and by acquisition channel, as bars), and the latest touchpoints,
 * refreshed every 5 seconds so an install can be checked live.
 */
import { Box, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { type Site, Sites } from '../components/Sites';
import { PERMISSIONS, useCan } from '../utils/permissions';

interface Overview {
  sites: Site[];
  last24h: { byType: Array<{ type: string; count: number }>; bySource: Array<{ source: string; count: number }> };
  recent: Array<{ id: number; occurred_at: string; type: string; channel: string; path: string | null; country: string | null; device: string | null; source_channel: string | null; customer_id: string | null }>;
}

const Bars = ({ rows, testId }: { rows: Array<{ label: string; count: number }>; testId: string }) => {
  const { formatMessage, formatNumber } = useIntl();
  const max = Math.max(1, ...rows.map((r) => r.count));
  if (rows.length === 0) return <Typography tag="p">{formatMessage({ id: 'tracking.overview.empty', defaultMessage: 'Nothing yet.' })}</Typography>;
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      {rows.map((r) => (
        <Flex key={r.label} gap={2} data-testid={testId}>
          <Box style={{ width: 140 }}>
            <Typography variant="omega">{r.label}</Typography>
          </Box>
          <Box background="primary600" style={{ height: 14, width: `${Math.max(2, (r.count / max) * 60)}%`, borderRadius: 3 }} />
          <Typography variant="omega" fontWeight="bold">{formatNumber(r.count)}</Typography>
        </Flex>
      ))}
    </Flex>
  );
};

/**
 * A value from the data in the admin's language: an event type (`page_view` → 页面浏览), a channel,
 * a device, an acquisition source (`organic_search` → "organic search" / 自然搜索). English shows
 * the value itself (sources with spaces); a value without a translation shows as it is.
 */
const useValueLabel = () => {
  const { formatMessage } = useIntl();
  return (group: 'type' | 'channel' | 'device' | 'source', value: string) =>
    formatMessage({ id: `tracking.${group}.${value}`, defaultMessage: group === 'source' ? value.replace('_', ' ') : value });
};

const App = () => {
  const { get } = useFetchClient();
  const { formatMessage, formatTime } = useIntl();
  const valueLabel = useValueLabel();
  const canManageSites = useCan('sitesManage');
  const [data, setData] = React.useState<Overview | null>(null);
  const load = React.useCallback(() => get<Overview>('/tracking/overview').then(({ data: d }) => setData(d)).catch(() => undefined), [get]);

  React.useEffect(() => {
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <Page.Main>
      <Layouts.Header
        title={formatMessage({ id: 'tracking.page.title', defaultMessage: 'Tracking' })}
        subtitle={formatMessage({ id: 'tracking.page.subtitle', defaultMessage: 'Install the tracker, then watch touchpoints arrive' })}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Sites sites={data?.sites ?? null} onChanged={load} canManage={canManageSites} />
          <Flex gap={4} alignItems="stretch">
            <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius style={{ flex: 1 }}>
              <Typography variant="delta" tag="h2">
                {formatMessage({ id: 'tracking.overview.byType', defaultMessage: 'Last 24 hours by type' })}
              </Typography>
              <Bars rows={(data?.last24h.byType ?? []).map((r) => ({ label: valueLabel('type', r.type), count: r.count }))} testId="moat-type-bar" />
            </Box>
            <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius style={{ flex: 1 }}>
              <Typography variant="delta" tag="h2">
                {formatMessage({ id: 'tracking.overview.bySource', defaultMessage: 'Page views by source' })}
              </Typography>
              <Bars rows={(data?.last24h.bySource ?? []).map((r) => ({ label: valueLabel('source', r.source), count: r.count }))} testId="moat-source-bar" />
            </Box>
          </Flex>
          <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
            <Typography variant="delta" tag="h2">
              {formatMessage({ id: 'tracking.recent.title', defaultMessage: 'Latest touchpoints' })}
            </Typography>
            <Table colCount={6} rowCount={(data?.recent.length ?? 0) + 1}>
              <Thead>
                <Tr>
                  {[
                    formatMessage({ id: 'tracking.recent.when', defaultMessage: 'When' }),
                    formatMessage({ id: 'tracking.recent.type', defaultMessage: 'Type' }),
                    formatMessage({ id: 'tracking.recent.channel', defaultMessage: 'Channel' }),
                    formatMessage({ id: 'tracking.recent.page', defaultMessage: 'Page' }),
                    formatMessage({ id: 'tracking.recent.visitor', defaultMessage: 'Visitor' }),
                    formatMessage({ id: 'tracking.recent.customer', defaultMessage: 'Customer' }),
                  ].map((h) => (
                    <Th key={h}><Typography variant="sigma">{h}</Typography></Th>
                  ))}
                </Tr>
              </Thead>
              <Tbody>
                {data?.recent.map((t) => (
                  <Tr key={t.id} data-testid="moat-touchpoint-row">
                    <Td><Typography>{formatTime(new Date(t.occurred_at), { hour: '2-digit', minute: '2-digit', second: '2-digit' })}</Typography></Td>
                    <Td><Typography fontWeight="bold" title={t.type}>{valueLabel('type', t.type)}</Typography></Td>
                    <Td><Typography>{valueLabel('channel', t.channel)}</Typography></Td>
                    <Td><Typography>{t.path ?? '—'}</Typography></Td>
                    <Td><Typography>{[t.country, t.device && valueLabel('device', t.device), t.source_channel && valueLabel('source', t.source_channel)].filter(Boolean).join(' · ')}</Typography></Td>
                    <Td>
                      {t.customer_id ? (
                        <a href={`/admin/content-manager/collection-types/plugin::crm.customer/${t.customer_id}`}>
                          {formatMessage({ id: 'tracking.recent.customerLink', defaultMessage: 'customer' })}
                        </a>
                      ) : (
                        <Typography textColor="neutral500">{formatMessage({ id: 'tracking.recent.anonymous', defaultMessage: 'anonymous' })}</Typography>
                      )}
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Box>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

/** Only for admins whose role may read the overview; others get Strapi's "no permissions" page. */
const ProtectedApp = () => (
  <Page.Protect permissions={PERMISSIONS.overviewRead}>
    <App />
  </Page.Protect>
);

export default ProtectedApp;
