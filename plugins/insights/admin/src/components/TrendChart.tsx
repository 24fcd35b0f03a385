import { Box } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Dashboard } from '../utils/types';

const SERIES = [
  { key: 'visitors', color: '#4945ff' },
  { key: 'leads', color: '#0c75af' },
  { key: 'inquiries', color: '#d9822f' },
  { key: 'deals', color: '#328048' },
] as const;

/** Daily visitors, leads, inquiries and deals over the range. */
export function TrendChart({ trend }: { trend: Dashboard['trend'] }) {
  const { formatMessage } = useIntl();
  return (
    <Box data-testid="insights-trend">
      <ResponsiveContainer width="100%" height={240}>
        <LineChart data={trend}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis />
          <Tooltip />
          <Legend />
          {SERIES.map((s) => (
            <Line key={s.key} type="linear" dataKey={s.key} name={formatMessage({ id: `insights.stage.${s.key}` })} stroke={s.color} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Box>
  );
}
