/**
 * The customer page: every touchpoint on one time axis grouped by day (the tracking plugin's
 * timeline), and beside it the profile, tier, score and its explanation, owner, the buyer's
 * local time, their inquiries and follow-ups; actions: log a follow-up, change stage, assign,
 * merge (each shown only to roles that may use it).
 */
import { Badge, Box, Button, Flex, Textarea, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { useParams } from 'react-router-dom';
import { Select } from '../components/Select';
import { type Touchpoint, TimelineItem, withDwell } from '../components/TimelineItem';
import { useCan } from '../utils/permissions';
import { localTime, messageOf, useT } from '../utils/t';
import { ownerName } from './CustomerList';

interface Customer {
  documentId: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  whatsapp: string | null;
  company: string | null;
  jobTitle: string | null;
  country: string | null;
  timeZone: string | null;
  birthday?: string | null;
  language: string | null;
  tier: string | null;
  stage: string | null;
  score: number | null;
  grade: string | null;
  scoreExplanation: unknown;
  owner: { id: number; firstname: string | null; lastname: string | null } | null;
  ordersCount: number | null;
  totalSpent: number | string | null;
  currency: string | null;
}
interface PageData {
  customer: Customer;
  inquiries: Array<{ documentId: string; productTitle: string | null; quantity: number | null; unit: string | null; status: string; message: string | null }>;
  followUps: Array<{ documentId: string; kind: string; status: string; channel: string | null; note: string | null; outcome: string | null; at: string | null; dueAt: string | null }>;
  timeline: { items: Touchpoint[]; nextCursor: string | null };
}
const STAGES = ['subscriber', 'lead', 'inquiry', 'negotiating', 'customer', 'loyal', 'advocate'];
const CHANNELS = ['phone', 'email', 'whatsapp', 'chat', 'meeting', 'other'];

/** the score's explanation, whatever shape the scoring stored: a list of {label|type, points} or a map */
const explanationRows = (value: unknown): Array<[string, number]> => {
  if (Array.isArray(value)) {
    return value.slice(0, 30).map((e: Record<string, unknown>) => [String(e.label ?? e.type ?? e.signal ?? e.reason ?? '?'), Number(e.points ?? e.score ?? e.value ?? 0)]);
  }
  if (value && typeof value === 'object') {
    const inner = (value as Record<string, unknown>).contributions ?? (value as Record<string, unknown>).items;
    if (inner) return explanationRows(inner);
    return Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === 'number').slice(0, 30).map(([k, v]) => [k, Number(v)]);
  }
  return [];
};

const Field = ({ label, value }: { label: string; value: React.ReactNode }) =>
  value ? (
    <Flex gap={2}>
      <Typography variant="pi" textColor="neutral600" style={{ width: 110 }}>{label}</Typography>
      <Typography variant="omega">{value}</Typography>
    </Flex>
  ) : null;

export const CustomerPage = () => {
  const t = useT();
  const { id } = useParams();
  const { get, post, put } = useFetchClient();
  const { locale, formatDate } = useIntl();
  const canUpdate = useCan('customersUpdate');
  const canMerge = useCan('customersMerge');
  const [data, setData] = React.useState<PageData | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [notice, setNotice] = React.useState<string | null>(null);
  const [owners, setOwners] = React.useState<Array<{ id: number; firstname: string; lastname: string }>>([]);
  const [followUp, setFollowUp] = React.useState({ channel: 'phone', note: '', outcome: '' });
  const [loserId, setLoserId] = React.useState('');
  const [now, setNow] = React.useState(new Date());

  const load = React.useCallback(
    () =>
      get<PageData>(`/crm/customers/${id}`)
        .then(({ data: d }) => {
          setData(d);
          setError(null);
        })
        .catch((e) => setError(messageOf(e))),
    [get, id],
  );
  React.useEffect(() => {
    load();
    get<{ results: Array<{ id: number; firstname: string; lastname: string }> }>('/crm/owners').then(({ data: d }) => setOwners(d.results)).catch(() => undefined);
    const clock = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(clock);
  }, [load, get]);
  const act = (work: () => Promise<unknown>) => () =>
    work()
      .then(() => {
        setNotice(t('saved'));
        return load();
      })
      .catch((e) => setNotice(messageOf(e)));

  if (error) return <Typography textColor="danger600" data-testid="crm-error">{error}</Typography>;
  if (!data) return <Typography>{t('loading')}</Typography>;
  const c = data.customer;
  const days = new Map<string, Touchpoint[]>();
  for (const tp of withDwell(data.timeline.items)) {
    const day = formatDate(new Date(tp.occurredAt), { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' });
    days.set(day, [...(days.get(day) ?? []), tp]);
  }
  const explanation = explanationRows(c.scoreExplanation);
  return (
    <Flex gap={6} alignItems="flex-start">
      <Box style={{ flex: 2 }} background="neutral0" padding={4} hasRadius data-testid="crm-timeline">
        <Typography variant="beta" tag="h2">{t('timeline')}</Typography>
        {days.size === 0 && <Typography tag="p">{t('timeline.empty')}</Typography>}
        {[...days.entries()].map(([day, items]) => (
          <Box key={day} paddingTop={4} data-testid="crm-timeline-day">
            <Typography variant="sigma" textColor="neutral600">{day}</Typography>
            {items.map((tp) => (
              <TimelineItem key={tp.id} tp={tp} />
            ))}
          </Box>
        ))}
      </Box>
      <Flex direction="column" alignItems="stretch" gap={4} style={{ flex: 1 }}>
        <Box background="neutral0" padding={4} hasRadius data-testid="crm-profile">
          <Typography variant="beta" tag="h2" data-testid="crm-customer-name">{c.name ?? c.email}</Typography>
          <Flex gap={2} paddingTop={2} paddingBottom={2}>
            {c.tier && <Badge>{t(`tier.${c.tier}`)}</Badge>}
            {c.grade && <Badge>{t('grade', { grade: c.grade })}</Badge>}
          </Flex>
          <Field label={t('profile.email')} value={c.email} />
          <Field label={t('profile.phone')} value={c.phone} />
          <Field label={t('profile.whatsapp')} value={c.whatsapp} />
          <Field label={t('profile.company')} value={[c.company, c.jobTitle].filter(Boolean).join(' · ')} />
          <Field label={t('profile.country')} value={c.country} />
          <Field label={t('profile.localTime')} value={localTime(c.timeZone, locale, now) && `${localTime(c.timeZone, locale, now)} (${c.timeZone})`} />
          <Field label={t('profile.birthday')} value={c.birthday ? new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${c.birthday}T00:00:00Z`)) : null} />
          <Field label={t('profile.orders')} value={c.ordersCount ? `${c.ordersCount} · ${c.totalSpent} ${c.currency ?? ''}` : null} />
          <Field label={t('profile.owner')} value={c.owner ? ownerName(c.owner) : t('pool')} />
          <Field label={t('profile.score')} value={String(c.score ?? 0)} />
          {explanation.length > 0 && (
            <Box paddingTop={2} data-testid="crm-score-explanation">
              <Typography variant="sigma">{t('profile.scoreWhy')}</Typography>
              {explanation.map(([why, points]) => (
                <Flex key={why} justifyContent="space-between">
                  <Typography variant="pi">{why}</Typography>
                  <Typography variant="pi">{points > 0 ? `+${points}` : points}</Typography>
                </Flex>
              ))}
            </Box>
          )}
        </Box>
        {canUpdate && (
          <Box background="neutral0" padding={4} hasRadius>
            <Flex direction="column" alignItems="stretch" gap={2}>
              <Select label={t('action.stage')} testId="crm-stage" value={c.stage ?? ''} options={STAGES.map((s): [string, string] => [s, t(`stage.${s}`)])}
                onChange={(stage) => act(() => put(`/crm/customers/${c.documentId}/stage`, { stage }))()} />
              <Select label={t('action.assign')} value={c.owner ? String(c.owner.id) : 'pool'}
                options={[['pool', t('pool')], ...owners.map((o): [string, string] => [String(o.id), `${o.firstname ?? ''} ${o.lastname ?? ''}`])]}
                onChange={(v) => act(() => put(`/crm/customers/${c.documentId}/owner`, { ownerId: v === 'pool' ? null : Number(v) }))()} />
              <Typography variant="sigma">{t('action.followUp')}</Typography>
              <Select label={t('followUp.channel')} value={followUp.channel} options={CHANNELS.map((ch): [string, string] => [ch, t(`channel.${ch}`)])} onChange={(channel) => setFollowUp((f) => ({ ...f, channel }))} />
              <Textarea aria-label={t('followUp.note')} placeholder={t('followUp.note')} value={followUp.note} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setFollowUp((f) => ({ ...f, note: e.target.value }))} />
              <TextInput aria-label={t('followUp.outcome')} placeholder={t('followUp.outcome')} value={followUp.outcome} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setFollowUp((f) => ({ ...f, outcome: e.target.value }))} />
              <Button data-testid="crm-log-follow-up" onClick={act(async () => {
                await post(`/crm/customers/${c.documentId}/follow-ups`, { channel: followUp.channel, note: followUp.note || undefined, outcome: followUp.outcome || undefined });
                setFollowUp({ channel: followUp.channel, note: '', outcome: '' });
              })}>
                {t('action.log')}
              </Button>
            </Flex>
          </Box>
        )}
        {canMerge && (
          <Box background="neutral0" padding={4} hasRadius>
            <Typography variant="sigma">{t('action.merge')}</Typography>
            <Flex gap={2} paddingTop={2}>
              <TextInput aria-label={t('merge.loser')} placeholder={t('merge.loser')} value={loserId} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setLoserId(e.target.value)} />
              <Button variant="danger-light" disabled={!loserId} onClick={act(() => post(`/crm/customers/${c.documentId}/merge`, { loserId }))}>{t('action.mergeGo')}</Button>
            </Flex>
          </Box>
        )}
        {notice && <Typography data-testid="crm-notice">{notice}</Typography>}
        <Box background="neutral0" padding={4} hasRadius>
          <Typography variant="sigma">{t('inquiries')}</Typography>
          {data.inquiries.map((q) => (
            <Box key={q.documentId} paddingTop={2}>
              <Typography fontWeight="bold">{q.productTitle ?? '—'}</Typography> <Badge>{t(`status.${q.status}`)}</Badge>
              {q.message && <Typography tag="p" variant="pi">{q.message}</Typography>}
            </Box>
          ))}
          <Box paddingTop={4}>
            <Typography variant="sigma">{t('followUps')}</Typography>
          </Box>
          {data.followUps.map((f) => (
            <Box key={f.documentId} paddingTop={2} data-testid="crm-follow-up">
              <Typography variant="pi">
                {f.kind === 'task' ? t('followUp.task', { due: f.dueAt ? formatDate(new Date(f.dueAt)) : '—' }) : f.at ? formatDate(new Date(f.at)) : ''} {f.channel ? t(`channel.${f.channel}`) : ''}
              </Typography>
              {f.note && <Typography tag="p" variant="omega">{f.note}</Typography>}
            </Box>
          ))}
        </Box>
      </Flex>
    </Flex>
  );
};
