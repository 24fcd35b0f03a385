/**
 * "Campaigns" page: the list, a builder (name, segment, template, schedule, sending window) and a
 * campaign's detail with a progress bar that polls the message log, and its report. Actions show only to admins
 * whose role may manage campaigns; the server checks the same permissions.
 */
import { Box, Button, Checkbox, Flex, ProgressBar, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { CampaignReport } from '../components/CampaignReport';
import { messageOf } from '../utils/errors';
import { PERMISSIONS, useCan } from '../utils/permissions';

interface Campaign {
  id: string;
  name: string;
  segmentId: string;
  templateKey: string;
  status: string;
  schedule: { mode: 'now' | 'at' | 'local'; sendAt?: number; localTime?: string };
  window: { start: string; end: string; days: number[] } | null;
  recipients: number;
  enqueued: number;
  skipped: number;
  createdAt: number;
  progress?: Record<string, number>;
}

const POLL_MS = 1_500;
const t = (id: string) => `lifecycle-email.campaigns.${id}`;
const total = (p: Record<string, number> = {}) => Object.values(p).reduce((a, b) => a + b, 0);

const Detail = ({ id, onBack }: { id: string; onBack: () => void }) => {
  const { get, post } = useFetchClient();
  const { formatMessage } = useIntl();
  const canManage = useCan('campaignsManage');
  const [c, setC] = React.useState<Campaign | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const load = React.useCallback(() => get<{ data: Campaign }>(`/lifecycle-email/campaigns/${id}`).then(({ data }) => setC(data.data)), [get, id]);
  React.useEffect(() => {
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  const act = async (action: string) => {
    setError(null);
    try {
      setC((await post<{ data: Campaign }>(`/lifecycle-email/campaigns/${id}/${action}`, {})).data.data);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  if (!c) return null;
  const p = c.progress ?? {};
  const done = (p.sent ?? 0) + (p.failed ?? 0) + (p.skipped ?? 0);
  const all = Math.max(total(p), c.recipients, 1);
  const actions: Array<[string, boolean]> = [
    ['send', c.status === 'draft'],
    ['pause', c.status === 'sending' || c.status === 'scheduled'],
    ['resume', c.status === 'paused'],
    ['cancel', ['draft', 'scheduled', 'sending', 'paused'].includes(c.status)],
  ];
  return (
    <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex justifyContent="space-between">
          <Typography variant="beta" tag="h2">{c.name}</Typography>
          <Button variant="tertiary" onClick={onBack}>{formatMessage({ id: t('back'), defaultMessage: 'All campaigns' })}</Button>
        </Flex>
        <Typography data-testid="campaign-status">{formatMessage({ id: t(`status.${c.status}`), defaultMessage: c.status })}</Typography>
        {/* data-value: the percentage as the page shows it (the bar itself keeps it in a style) */}
        <Box data-testid="campaign-progress" data-value={Math.round((done / all) * 100)}>
          <ProgressBar value={Math.round((done / all) * 100)} aria-label={formatMessage({ id: t('progress'), defaultMessage: 'Progress' })} />
        </Box>
        <Flex gap={4} data-testid="campaign-counts">
          {['queued', 'paused', 'sending', 'sent', 'failed', 'skipped'].map((s) => (
            <Typography key={s} variant="pi">
              {formatMessage({ id: t(`count.${s}`), defaultMessage: s })}: {p[s] ?? 0}
            </Typography>
          ))}
        </Flex>
        {canManage && (
          <Flex gap={2}>
            {actions
              .filter(([, ok]) => ok)
              .map(([action]) => (
                <Button key={action} variant={action === 'cancel' ? 'danger-light' : 'default'} onClick={() => act(action)}>
                  {formatMessage({ id: t(`action.${action}`), defaultMessage: action })}
                </Button>
              ))}
          </Flex>
        )}
        {error && <Typography textColor="danger600">{error}</Typography>}
        {c.status !== 'draft' && <CampaignReport id={c.id} refreshKey={`${c.status}:${done}`} />}
      </Flex>
    </Box>
  );
};

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

const Builder = ({ onCreated, onCancel }: { onCreated: (id: string) => void; onCancel: () => void }) => {
  const { get, post } = useFetchClient();
  const { formatMessage } = useIntl();
  const [segments, setSegments] = React.useState<Array<{ documentId: string; name: string }>>([]);
  const [templates, setTemplates] = React.useState<Array<{ documentId: string; name: string }>>([]);
  const [form, setForm] = React.useState({ name: '', segmentId: '', templateKey: '', mode: 'now', at: '', useWindow: true, start: '09:00', end: '18:00', days: [1, 2, 3, 4, 5] });
  const [error, setError] = React.useState<string | null>(null);
  React.useEffect(() => {
    get<{ data: Array<{ documentId: string; name: string }> }>('/crm/segments').then(({ data }) => setSegments(data.data), () => setSegments([]));
    get<{ templates: Array<{ documentId: string; name: string }> }>('/lifecycle-email/gallery').then(({ data }) => setTemplates(data.templates), () => setTemplates([]));
  }, [get]);
  const set = (patch: Partial<typeof form>) => setForm((f) => ({ ...f, ...patch }));
  const submit = async () => {
    setError(null);
    const schedule = form.mode === 'at' ? { mode: 'at', sendAt: form.at ? new Date(form.at).toISOString() : '' } : form.mode === 'local' ? { mode: 'local', localTime: form.at } : { mode: 'now' };
    try {
      const { data } = await post<{ data: Campaign }>('/lifecycle-email/campaigns', {
        name: form.name,
        segmentId: form.segmentId,
        templateKey: form.templateKey,
        schedule,
        window: form.useWindow ? { start: form.start, end: form.end, days: form.days } : null,
      });
      onCreated(data.data.id);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const label = (id: string, def: string) => formatMessage({ id: t(id), defaultMessage: def });
  return (
    <Box background="neutral0" padding={6} shadow="tableShadow" hasRadius>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="beta" tag="h2">{label('new', 'New campaign')}</Typography>
        <TextInput aria-label={label('name', 'Name')} placeholder={label('name', 'Name')} value={form.name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ name: e.target.value })} />
        <SingleSelect aria-label={label('segment', 'Segment')} placeholder={label('segment', 'Segment')} value={form.segmentId} onChange={(v: string | number) => set({ segmentId: String(v) })}>
          {segments.map((s) => (
            <SingleSelectOption key={s.documentId} value={s.documentId}>{s.name}</SingleSelectOption>
          ))}
        </SingleSelect>
        <SingleSelect aria-label={label('template', 'Template')} placeholder={label('template', 'Template')} value={form.templateKey} onChange={(v: string | number) => set({ templateKey: String(v) })}>
          {templates.map((x) => (
            <SingleSelectOption key={x.documentId} value={x.name}>{x.name}</SingleSelectOption>
          ))}
        </SingleSelect>
        <SingleSelect aria-label={label('schedule', 'Schedule')} value={form.mode} onChange={(v: string | number) => set({ mode: String(v) })}>
          <SingleSelectOption value="now">{label('schedule.now', 'Send now')}</SingleSelectOption>
          <SingleSelectOption value="at">{label('schedule.at', 'At a time')}</SingleSelectOption>
          <SingleSelectOption value="local">{label('schedule.local', "At a time in each recipient's time zone")}</SingleSelectOption>
        </SingleSelect>
        {form.mode !== 'now' && <TextInput type="datetime-local" aria-label={label('sendAt', 'Send time')} value={form.at} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ at: e.target.value })} />}
        <Checkbox checked={form.useWindow} onCheckedChange={(v: boolean) => set({ useWindow: v === true })}>
          {label('window', "Only inside business hours (recipient's time zone)")}
        </Checkbox>
        {form.useWindow && (
          <Flex gap={2} wrap="wrap">
            <TextInput type="time" aria-label={label('window.start', 'From')} value={form.start} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ start: e.target.value })} />
            <TextInput type="time" aria-label={label('window.end', 'Until')} value={form.end} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ end: e.target.value })} />
            {WEEKDAYS.map((d) => (
              <Checkbox key={d} checked={form.days.includes(d)} onCheckedChange={(v: boolean) => set({ days: v ? [...form.days, d].sort() : form.days.filter((x) => x !== d) })}>
                {label(`day.${d}`, String(d))}
              </Checkbox>
            ))}
          </Flex>
        )}
        {error && <Typography textColor="danger600">{error}</Typography>}
        <Flex gap={2}>
          <Button onClick={submit}>{label('create', 'Create draft')}</Button>
          <Button variant="tertiary" onClick={onCancel}>{label('cancelEdit', 'Cancel')}</Button>
        </Flex>
      </Flex>
    </Box>
  );
};

const CampaignsPage = () => {
  const { get } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const canManage = useCan('campaignsManage');
  const [view, setView] = React.useState<{ kind: 'list' } | { kind: 'new' } | { kind: 'detail'; id: string }>({ kind: 'list' });
  const [items, setItems] = React.useState<Campaign[]>([]);
  React.useEffect(() => {
    if (view.kind === 'list') get<{ items: Campaign[] }>('/lifecycle-email/campaigns').then(({ data }) => setItems(data.items));
  }, [get, view]);
  return (
    <Page.Main>
      <Layouts.Header
        title={formatMessage({ id: t('title'), defaultMessage: 'Campaigns' })}
        subtitle={formatMessage({ id: t('subtitle'), defaultMessage: 'One email to a segment, in each recipient’s language and business hours' })}
        primaryAction={canManage && view.kind === 'list' ? <Button onClick={() => setView({ kind: 'new' })}>{formatMessage({ id: t('new'), defaultMessage: 'New campaign' })}</Button> : undefined}
      />
      <Layouts.Content>
        {view.kind === 'new' && <Builder onCreated={(id) => setView({ kind: 'detail', id })} onCancel={() => setView({ kind: 'list' })} />}
        {view.kind === 'detail' && <Detail id={view.id} onBack={() => setView({ kind: 'list' })} />}
        {view.kind === 'list' && (
          <Table colCount={4} rowCount={items.length + 1}>
            <Thead>
              <Tr>
                {['name', 'statusLabel', 'recipients', 'created'].map((k) => (
                  <Th key={k}><Typography variant="sigma">{formatMessage({ id: t(k), defaultMessage: k })}</Typography></Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {items.map((c) => (
                <Tr key={c.id} onClick={() => setView({ kind: 'detail', id: c.id })} style={{ cursor: 'pointer' }}>
                  <Td><Typography>{c.name}</Typography></Td>
                  <Td><Typography>{formatMessage({ id: t(`status.${c.status}`), defaultMessage: c.status })}</Typography></Td>
                  <Td><Typography>{c.recipients}</Typography></Td>
                  <Td><Typography>{formatDate(c.createdAt, { dateStyle: 'medium', timeStyle: 'short' })}</Typography></Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

const ProtectedCampaigns = () => (
  <Page.Protect permissions={PERMISSIONS.campaignsRead}>
    <CampaignsPage />
  </Page.Protect>
);

export default ProtectedCampaigns;
