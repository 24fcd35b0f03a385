/**
 * "Insights" for managers: the funnel for a date range with the weakest stage and what it
 * cost, daily trends, sources (first/last touch), the month × country heat map and the
 * "lead country of the month" table, what buyers ask, spend upload. Every table exports CSV.
 */
import { Box, Field, Flex, Grid, TextInput, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { type Column, DataTable } from '../components/DataTable';
import { FunnelChart } from '../components/FunnelChart';
import { HeatMap } from '../components/HeatMap';
import { SpendUpload } from '../components/SpendUpload';
import { TrendChart } from '../components/TrendChart';
import { messageOf } from '../utils/errors';
import { PERMISSIONS, useCan } from '../utils/permissions';
import type { Dashboard, Share, Totals } from '../utils/types';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const totalsColumns = <R extends Totals>(first: Column<R>): Column<R>[] => [
  first,
  ...(['visitors', 'interacting', 'leads', 'inquiries', 'deals', 'revenue'] as const).map((m) => ({ id: m, messageId: `insights.stage.${m}`, value: (r: R) => r[m] })),
];
const shareColumns: Column<Share>[] = [
  { id: 'source', messageId: 'insights.col.source', value: (r) => r.source },
  { id: 'medium', messageId: 'insights.col.medium', value: (r) => r.medium },
  { id: 'campaign', messageId: 'insights.col.campaign', value: (r) => r.campaign },
  { id: 'count', messageId: 'insights.col.count', value: (r) => r.count },
  { id: 'value', messageId: 'insights.col.value', value: (r) => r.value },
  { id: 'share', messageId: 'insights.col.share', value: (r) => `${(r.share * 100).toFixed(1)}%` },
];

const App = () => {
  const { get } = useFetchClient();
  const { formatMessage, formatNumber } = useIntl();
  const canUploadSpend = useCan('spendManage');
  const [range, setRange] = React.useState(() => ({ from: iso(Date.now() - 30 * DAY), to: iso(Date.now() - DAY) }));
  const [data, setData] = React.useState<Dashboard | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  const load = React.useCallback(() => {
    get<Dashboard>(`/insights/dashboard?from=${range.from}&to=${range.to}`)
      .then(({ data: d }) => {
        setData(d);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [get, range]);
  React.useEffect(load, [load]);

  const weakest = data?.alert.weakest ?? null;
  const stageName = (stage: string) => formatMessage({ id: `insights.stage.${stage}` });
  const money = (n: number) => formatNumber(n, { maximumFractionDigits: 0 });

  return (
    <Page.Main>
      <Layouts.Header
        title={formatMessage({ id: 'insights.page.title', defaultMessage: 'Insights' })}
        subtitle={data ? formatMessage({ id: 'insights.page.timezone', defaultMessage: 'Days in the shop time zone: {timezone}' }, { timezone: data.timezone }) : undefined}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Flex gap={4} alignItems="flex-end" data-testid="insights-range">
            {(['from', 'to'] as const).map((end) => (
              <Field.Root key={end} name={end}>
                <Field.Label>{formatMessage({ id: `insights.range.${end}` })}</Field.Label>
                <TextInput type="date" value={range[end]} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setRange((r) => ({ ...r, [end]: e.target.value }))} />
              </Field.Root>
            ))}
          </Flex>
          {error && <Typography textColor="danger600" data-testid="insights-error">{formatMessage({ id: 'insights.error', defaultMessage: 'Could not load: {message}' }, { message: error })}</Typography>}
          {data && (
            <>
              <Box background={weakest ? 'danger100' : 'success100'} padding={4} hasRadius data-testid="insights-alert">
                <Typography fontWeight="bold" textColor={weakest ? 'danger700' : 'success700'}>
                  {weakest
                    ? formatMessage(
                        { id: 'insights.alert.weakest', defaultMessage: 'Weakest stage: {stage} — {rate} against {baseline} ({from} – {to}); about {deals} deals and {cost} revenue lost' },
                        {
                          stage: stageName(weakest.stage),
                          rate: weakest.rate === null ? '–' : formatNumber(weakest.rate, { style: 'percent', maximumFractionDigits: 1 }),
                          baseline: weakest.baselineRate === null ? '–' : formatNumber(weakest.baselineRate, { style: 'percent', maximumFractionDigits: 1 }),
                          from: data.alert.baseline.from,
                          to: data.alert.baseline.to,
                          deals: formatNumber(weakest.lostDeals, { maximumFractionDigits: 1 }),
                          cost: money(weakest.cost),
                        },
                      )
                    : formatMessage({ id: 'insights.alert.none', defaultMessage: 'Every stage is at or above its baseline.' })}
                </Typography>
              </Box>
              <Grid.Root gap={4}>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
                    <Typography variant="delta" tag="h2">{formatMessage({ id: 'insights.funnel.title', defaultMessage: 'Funnel' })}</Typography>
                    <Typography variant="pi" tag="p" textColor="neutral600">
                      {formatMessage(
                        { id: 'insights.funnel.summary', defaultMessage: 'Revenue {revenue} · spend {spend} · ROI {roi} · end to end {e2e}' },
                        {
                          revenue: money(data.funnel.counts.revenue),
                          spend: data.funnel.counts.spend === null ? '–' : money(data.funnel.counts.spend),
                          roi: data.funnel.roi === null ? '–' : formatNumber(data.funnel.roi, { maximumFractionDigits: 2 }),
                          e2e: data.funnel.endToEnd === null ? '–' : formatNumber(data.funnel.endToEnd, { style: 'percent', maximumFractionDigits: 3 }),
                        },
                      )}
                    </Typography>
                    <FunnelChart funnel={data.funnel} weakest={weakest?.stage ?? null} />
                  </Box>
                </Grid.Item>
                <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
                  <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
                    <Typography variant="delta" tag="h2">{formatMessage({ id: 'insights.trend.title', defaultMessage: 'Trends' })}</Typography>
                    <TrendChart trend={data.trend} />
                  </Box>
                </Grid.Item>
              </Grid.Root>
              <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
                <Typography variant="delta" tag="h2">{formatMessage({ id: 'insights.season.title', defaultMessage: 'Seasonality: GMV by month and country' })}</Typography>
                <HeatMap cells={data.seasonality.heatmap} />
              </Box>
              <DataTable
                title={formatMessage({ id: 'insights.funnel.table', defaultMessage: 'Stages' })}
                name="stages"
                rows={data.alert.stages}
                columns={[
                  { id: 'stage', messageId: 'insights.col.stage', value: (r) => stageName(r.stage) },
                  { id: 'rate', messageId: 'insights.col.rate', value: (r) => (r.rate === null ? '' : r.rate.toFixed(4)) },
                  { id: 'baseline_rate', messageId: 'insights.col.baselineRate', value: (r) => (r.baselineRate === null ? '' : r.baselineRate.toFixed(4)) },
                  { id: 'lost_deals', messageId: 'insights.col.lostDeals', value: (r) => r.lostDeals.toFixed(2) },
                  { id: 'cost', messageId: 'insights.col.cost', value: (r) => r.cost.toFixed(2) },
                ]}
              />
              <DataTable title={formatMessage({ id: 'insights.bySource', defaultMessage: 'By source' })} name="by-source" rows={data.bySource} columns={totalsColumns<Dashboard['bySource'][number]>({ id: 'source', messageId: 'insights.col.source', value: (r) => r.source })} />
              <DataTable title={formatMessage({ id: 'insights.byCountry', defaultMessage: 'By country' })} name="by-country" rows={data.byCountry} columns={totalsColumns<Dashboard['byCountry'][number]>({ id: 'country', messageId: 'insights.col.country', value: (r) => r.country })} />
              <DataTable title={formatMessage({ id: 'insights.byDevice', defaultMessage: 'By device' })} name="by-device" rows={data.byDevice} columns={totalsColumns<Dashboard['byDevice'][number]>({ id: 'device', messageId: 'insights.col.device', value: (r) => r.device })} />
              <DataTable title={formatMessage({ id: 'insights.trend.table', defaultMessage: 'By day' })} name="by-day" rows={data.trend} columns={totalsColumns<Dashboard['trend'][number]>({ id: 'day', messageId: 'insights.col.day', value: (r) => r.day })} />
              {(['firstTouch', 'lastTouch'] as const).flatMap((model) =>
                (['leads', 'inquiries', 'revenue'] as const).map((kind) => (
                  <DataTable
                    key={`${model}-${kind}`}
                    title={formatMessage({ id: `insights.sources.${model}.${kind}` })}
                    name={`${model}-${kind}`}
                    rows={data.sources[model][kind]}
                    columns={shareColumns}
                  />
                )),
              )}
              <DataTable
                title={formatMessage({ id: 'insights.season.table', defaultMessage: 'Lead country of the month' })}
                name="lead-country-of-month"
                rows={data.seasonality.months}
                columns={[
                  { id: 'month', messageId: 'insights.col.month', value: (r) => r.month },
                  { id: 'by_customers', messageId: 'insights.col.byCustomers', value: (r) => r.byCustomers.map((c) => `${c.country} (${c.customers})`).join(' ') },
                  { id: 'by_gmv', messageId: 'insights.col.byGmv', value: (r) => r.byGmv.map((c) => `${c.country} (${money(c.gmv)})`).join(' ') },
                ]}
              />
              <DataTable
                title={formatMessage({ id: 'insights.questions.products', defaultMessage: 'Most inquired products' })}
                name="products"
                rows={data.questions.products}
                columns={[
                  { id: 'key', messageId: 'insights.col.product', value: (r) => r.key },
                  { id: 'title', messageId: 'insights.col.title', value: (r) => r.title },
                  { id: 'inquiries', messageId: 'insights.stage.inquiries', value: (r) => r.inquiries },
                ]}
              />
              <DataTable
                title={formatMessage({ id: 'insights.questions.title', defaultMessage: 'What buyers ask' })}
                name="questions"
                rows={data.questions.questions}
                columns={[
                  { id: 'question', messageId: 'insights.col.question', value: (r) => r.question },
                  { id: 'count', messageId: 'insights.col.count', value: (r) => r.count },
                  { id: 'product', messageId: 'insights.col.product', value: (r) => r.productKey ?? '' },
                  { id: 'countries', messageId: 'insights.col.country', value: (r) => Object.keys(r.countries).join(' ') },
                  { id: 'languages', messageId: 'insights.col.language', value: (r) => Object.keys(r.languages).join(' ') },
                  { id: 'faq', messageId: 'insights.col.faq', value: (r) => (r.hasFaq ? formatMessage({ id: 'insights.faq.answered' }) : formatMessage({ id: 'insights.faq.backlog' })) },
                ]}
              />
              {data.questions.questions.some((q) => !q.hasFaq && q.faqEditor) && (
                <Flex gap={2} wrap="wrap">
                  {data.questions.questions
                    .filter((q) => !q.hasFaq && q.faqEditor)
                    .map((q) => (
                      <a key={q.question} href={q.faqEditor ?? undefined} data-testid="insights-faq-link">
                        {formatMessage({ id: 'insights.faq.write', defaultMessage: 'Answer in the FAQ of {product}: {question}' }, { product: q.productKey, question: q.question })}
                      </a>
                    ))}
                </Flex>
              )}
              {canUploadSpend && <SpendUpload onImported={load} />}
            </>
          )}
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

const ProtectedApp = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <App />
  </Page.Protect>
);

export default ProtectedApp;
