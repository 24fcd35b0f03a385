import { Box } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import type { Dashboard } from '../utils/types';

interface CellProps { cx?: number; cy?: number; payload?: { opacity: number; month: number; country: string } }

/** One month × country cell, shaded by its share of the largest GMV. */
const Square = ({ cx = 0, cy = 0, payload }: CellProps) => (
  <rect x={cx - 14} y={cy - 10} width={28} height={20} rx={3} fill="#d02b20" fillOpacity={payload?.opacity ?? 0} data-testid="insights-heat-cell" data-month={payload?.month} data-country={payload?.country} />
);

/** Month (1–12) × country, each cell shaded by GMV across all history: when each market buys. */
export function HeatMap({ cells }: { cells: Dashboard['seasonality']['heatmap'] }) {
  const { formatDate } = useIntl();
  const countries = [...new Set(cells.map((c) => c.country))].sort();
  const max = Math.max(1, ...cells.map((c) => c.gmv));
  const data = cells.map((c) => ({ ...c, row: countries.indexOf(c.country), opacity: 0.1 + 0.9 * (c.gmv / max) }));
  const monthName = (m: number) => formatDate(new Date(Date.UTC(2000, m - 1, 15)), { month: 'short', timeZone: 'UTC' });
  return (
    <Box data-testid="insights-heatmap">
      <ResponsiveContainer width="100%" height={Math.max(160, countries.length * 28 + 60)}>
        <ScatterChart margin={{ left: 8, right: 24, top: 8 }}>
          <XAxis type="number" dataKey="month" domain={[0.5, 12.5]} ticks={[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]} tickFormatter={monthName} />
          <YAxis type="number" dataKey="row" domain={[-0.5, countries.length - 0.5]} ticks={countries.map((_, i) => i)} tickFormatter={(i: number) => countries[i] ?? ''} reversed width={40} />
          <ZAxis type="number" dataKey="gmv" range={[400, 400]} />
          <Tooltip cursor={false} />
          <Scatter data={data} shape={Square} isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </Box>
  );
}
