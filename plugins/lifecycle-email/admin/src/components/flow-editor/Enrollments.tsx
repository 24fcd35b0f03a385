/** A saved flow's latest enrollments: who, in which state, at which step, since when (links to the customer). */
import { Box, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import type { T } from './fields';

interface Enrollment {
  id: number;
  customerId: string;
  state: string;
  reason: string | null;
  step: number;
  enrolledAt: number;
}

/** Remounted (key) when the flow changes state, to read the list again. */
export const Enrollments = ({ t, flowId }: { t: T; flowId: number }) => {
  const { get } = useFetchClient();
  const { formatDate } = useIntl();
  const [rows, setRows] = React.useState<Enrollment[]>([]);
  React.useEffect(() => {
    get<{ enrollments: Enrollment[] }>(`/lifecycle-email/flows/${flowId}/enrollments?limit=50`).then(({ data }) => setRows(data.enrollments));
  }, [get, flowId]);
  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
      <Typography variant="delta" tag="h2">
        {t('enrollments.title')}
      </Typography>
      {rows.length === 0 ? (
        <Typography tag="p">{t('enrollments.empty')}</Typography>
      ) : (
        <Table colCount={4} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              {['customer', 'state', 'step', 'enrolledAt'].map((c) => (
                <Th key={c}>
                  <Typography variant="sigma">{t(`enrollments.${c}`)}</Typography>
                </Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((r) => (
              <Tr key={r.id} data-testid="moat-flow-enrollment">
                <Td data-moat-data="">
                  <a href={`/admin/plugins/crm/customers/${r.customerId}`}>{r.customerId}</a>
                </Td>
                <Td>
                  <Typography>
                    {t(`enrollments.state.${r.state}`)}
                    {r.reason ? ` (${r.reason})` : ''}
                  </Typography>
                </Td>
                <Td>
                  <Typography>{r.step + 1}</Typography>
                </Td>
                <Td>
                  <Typography>{formatDate(new Date(r.enrolledAt), { dateStyle: 'medium', timeStyle: 'short' })}</Typography>
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Box>
  );
};
