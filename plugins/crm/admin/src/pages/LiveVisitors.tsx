/** Who is on the storefront now (a touchpoint in the last five minutes), refreshed every 5 seconds; a known buyer opens their customer page. */
import { Badge, Box, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { useNavigate } from 'react-router-dom';
import { productName } from '../components/TimelineItem';
import { localTime, messageOf, useT } from '../utils/t';

interface Visitor {
  visitorId: string;
  customer: { documentId: string; name: string | null; email: string | null; score: number | null; grade: string | null } | null;
  country: string | null;
  timeZone: string | null;
  source: string | null;
  lastSeenAt: number;
  currentPage: { url: string | null; title: string | null } | null;
  pages: Array<{ url: string | null; title: string | null; dwellMs: number | null }>;
  cart: Array<Record<string, unknown>>;
}

export const LiveVisitors = () => {
  const t = useT();
  const { get } = useFetchClient();
  const { locale, formatTime } = useIntl();
  const navigate = useNavigate();
  const [visitors, setVisitors] = React.useState<Visitor[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    const load = () =>
      get<{ visitors: Visitor[] }>('/crm/live')
        .then(({ data }) => {
          setVisitors(data.visitors);
          setError(null);
        })
        .catch((e) => setError(messageOf(e)));
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, [get]);
  if (error) return <Typography textColor="danger600">{error}</Typography>;
  if (!visitors) return <Typography>{t('loading')}</Typography>;
  if (visitors.length === 0) return <Typography data-testid="crm-live-empty">{t('live.empty')}</Typography>;
  return (
    <Table colCount={6} rowCount={visitors.length + 1}>
      <Thead>
        <Tr>
          <Th><Typography variant="sigma">{t('live.who')}</Typography></Th>
          <Th><Typography variant="sigma">{t('col.country')}</Typography></Th>
          <Th><Typography variant="sigma">{t('live.source')}</Typography></Th>
          <Th><Typography variant="sigma">{t('live.page')}</Typography></Th>
          <Th><Typography variant="sigma">{t('live.cart')}</Typography></Th>
          <Th><Typography variant="sigma">{t('live.lastSeen')}</Typography></Th>
        </Tr>
      </Thead>
      <Tbody>
        {visitors.map((v) => (
          <Tr key={v.visitorId} data-testid="crm-live-visitor" style={{ cursor: v.customer ? 'pointer' : 'default' }} onClick={() => v.customer && navigate(`../customers/${v.customer.documentId}`)}>
            <Td>
              {v.customer ? (
                <Box>
                  <Typography fontWeight="bold">{v.customer.name ?? v.customer.email}</Typography>{' '}
                  <Badge>{t('live.score', { score: v.customer.score ?? 0 })}</Badge>
                </Box>
              ) : (
                <Typography textColor="neutral600">{t('live.anonymous')}</Typography>
              )}
            </Td>
            <Td>
              <Typography>{v.country}</Typography>
              <Typography tag="p" variant="pi">{localTime(v.timeZone, locale)}</Typography>
            </Td>
            <Td><Typography>{v.source}</Typography></Td>
            <Td>
              <Typography>{v.currentPage?.title ?? v.currentPage?.url}</Typography>
              <Typography tag="p" variant="pi">
                {v.pages.map((p) => `${p.title ?? p.url ?? ''}${p.dwellMs ? ` (${Math.round(p.dwellMs / 1000)}s)` : ''}`).join(' → ')}
              </Typography>
            </Td>
            <Td><Typography>{v.cart.map((i) => `${productName(i) ?? '?'} × ${String(i.quantity ?? 1)}`).join(', ')}</Typography></Td>
            <Td><Typography>{formatTime(new Date(v.lastSeenAt))}</Typography></Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
