import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { type Dashboard, STAGES, type Stage } from '../utils/types';

/** The funnel as horizontal bars, one per stage with its rate; the weakest stage in red. */
export function FunnelChart({ funnel, weakest }: { funnel: Dashboard['funnel']; weakest: Stage | null }) {
  const { formatMessage, formatNumber } = useIntl();
  const rows = STAGES.filter((s) => funnel.counts[s] !== null).map((stage) => ({
    stage,
    label: formatMessage({ id: `insights.stage.${stage}` }),
    count: funnel.counts[stage] as number,
    rate: funnel.rates[stage] ?? null,
  }));
  const pct = (r: number | null) => (r === null ? '–' : formatNumber(r, { style: 'percent', maximumFractionDigits: 1 }));
  return (
    <Box data-testid="insights-funnel">
      <ResponsiveContainer width="100%" height={Math.max(180, rows.length * 44)}>
        <BarChart data={rows} layout="vertical" margin={{ left: 24, right: 24 }}>
          <CartesianGrid strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" scale="sqrt" />
          <YAxis type="category" dataKey="label" width={110} />
          <Tooltip />
          <Bar dataKey="count" isAnimationActive={false}>
            {rows.map((r) => (
              <Cell key={r.stage} fill={r.stage === weakest ? '#d02b20' : '#4945ff'} data-stage={r.stage} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
      <Flex gap={2} wrap="wrap">
        {rows.map((r) => (
          <Box
            key={r.stage}
            padding={2}
            hasRadius
            background={r.stage === weakest ? 'danger100' : 'neutral100'}
            borderColor={r.stage === weakest ? 'danger600' : undefined}
            data-testid={r.stage === weakest ? 'insights-weakest' : 'insights-stage'}
            data-stage={r.stage}
          >
            <Typography variant="pi" fontWeight="bold" textColor={r.stage === weakest ? 'danger700' : 'neutral800'}>
              {formatMessage({ id: 'insights.funnel.stageRate', defaultMessage: '{stage}: {count} ({rate})' }, { stage: r.label, count: formatNumber(r.count), rate: pct(r.rate) })}
            </Typography>
          </Box>
        ))}
      </Flex>
    </Box>
  );
}
