/**
 * The message log: every intended send (flows, campaigns, tests, shipping mail) with its
 * status and, for failed and skipped ones, the reason — searchable by address, template or
 * campaign/flow key. Admins who may retry get a button on failed messages.
 */
import { Badge, Box, Button, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { messageOf } from '../utils/errors';
import { useCan } from '../utils/permissions';

const STATUSES = ['pending', 'queued', 'sending', 'sent', 'failed', 'skipped', 'paused'] as const;
interface Row {
  id: number;
  status: (typeof STATUSES)[number];
  reason: string | null;
  recipient: string;
  templateKey: string;
  lane: string;
  attempts: number;
  createdAt: number;
  sentAt: number | null;
}
const BADGE: Record<Row['status'], { background: string; textColor: string }> = {
  pending: { background: 'neutral100', textColor: 'neutral700' },
  queued: { background: 'primary100', textColor: 'primary700' },
  sending: { background: 'primary100', textColor: 'primary700' },
  sent: { background: 'success100', textColor: 'success700' },
  failed: { background: 'danger100', textColor: 'danger700' },
  skipped: { background: 'warning100', textColor: 'warning700' },
  paused: { background: 'neutral100', textColor: 'neutral700' },
};

export const MessageLog = () => {
  const { get, post } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const { toggleNotification } = useNotification();
  const canRetry = useCan('messagesRetry');
  const [q, setQ] = React.useState('');
  const [status, setStatus] = React.useState<string>('');
  const [rows, setRows] = React.useState<Row[] | null>(null);
  const [next, setNext] = React.useState<number | null>(null);
  const t = (id: string, defaultMessage: string, values?: Record<string, string | number>) => formatMessage({ id: `lifecycle-email.messages.${id}`, defaultMessage }, values);

  const load = React.useCallback(
    async (before?: number) => {
      const params = new URLSearchParams();
      if (q.trim()) params.set('q', q.trim());
      if (status) params.set('status', status);
      if (before) params.set('before', String(before));
      try {
        const { data } = await get<{ messages: Row[]; next: number | null }>(`/lifecycle-email/messages?${params}`);
        setRows((old) => (before && old ? [...old, ...data.messages] : data.messages));
        setNext(data.next);
      } catch (error) {
        toggleNotification({ type: 'danger', message: messageOf(error) });
      }
    },
    [get, q, status, toggleNotification],
  );
  // search as the filter changes, a moment after typing stops
  React.useEffect(() => {
    const timer = setTimeout(() => load(), 250);
    return () => clearTimeout(timer);
  }, [load]);

  const retry = async (id: number) => {
    try {
      const { data } = await post<{ message: Row }>(`/lifecycle-email/messages/${id}/retry`);
      setRows((old) => old?.map((r) => (r.id === id ? data.message : r)) ?? null);
      toggleNotification({ type: 'success', message: t('retried', 'Queued again') });
    } catch (error) {
      toggleNotification({ type: 'danger', message: messageOf(error) });
    }
  };

  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius data-testid="moat-message-log">
      <Typography variant="delta" tag="h2">
        {t('title', 'Message log')}
      </Typography>
      <Flex gap={2} paddingTop={2} paddingBottom={2}>
        <TextInput aria-label={t('search', 'Search by address, template or campaign')} placeholder={t('search', 'Search by address, template or campaign')} value={q} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQ(e.target.value)} />
        <SingleSelect aria-label={t('status', 'Status')} placeholder={t('allStatuses', 'Every status')} value={status} onChange={(value: string | number) => setStatus(String(value))} onClear={() => setStatus('')}>
          {STATUSES.map((s) => (
            <SingleSelectOption key={s} value={s}>
              {t(`status.${s}`, s)}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </Flex>
      {rows && rows.length === 0 && <Typography tag="p">{t('empty', 'No messages match.')}</Typography>}
      {rows && rows.length > 0 && (
        <Table colCount={6} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              <Th><Typography variant="sigma">{t('when', 'When')}</Typography></Th>
              <Th><Typography variant="sigma">{t('recipient', 'Recipient')}</Typography></Th>
              <Th><Typography variant="sigma">{t('template', 'Template')}</Typography></Th>
              <Th><Typography variant="sigma">{t('status', 'Status')}</Typography></Th>
              <Th><Typography variant="sigma">{t('reason', 'Reason')}</Typography></Th>
              <Th><Typography variant="sigma">{t('actions', 'Actions')}</Typography></Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((r) => (
              <Tr key={r.id} data-testid="moat-message-row">
                <Td><Typography>{formatDate(new Date(r.sentAt ?? r.createdAt), { dateStyle: 'short', timeStyle: 'short' })}</Typography></Td>
                {/* the recipient's address and the store's template key are data, not Moat's wording */}
                <Td data-moat-data=""><Typography>{r.recipient}</Typography></Td>
                <Td data-moat-data=""><Typography>{r.templateKey}</Typography></Td>
                <Td>
                  <Badge {...BADGE[r.status]}>{t(`status.${r.status}`, r.status)}</Badge>
                </Td>
                <Td data-moat-data=""><Typography textColor="neutral600">{r.reason ?? ''}</Typography></Td>
                <Td>
                  {canRetry && r.status === 'failed' && (
                    <Button size="S" variant="secondary" onClick={() => retry(r.id)}>
                      {t('retry', 'Retry')}
                    </Button>
                  )}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {next && (
        <Box paddingTop={2}>
          <Button variant="tertiary" onClick={() => load(next)}>
            {t('more', 'Load more')}
          </Button>
        </Box>
      )}
    </Box>
  );
};
