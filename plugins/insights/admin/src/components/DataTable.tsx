import { Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Download } from '@strapi/icons';
import { useIntl } from 'react-intl';

export interface Column<Row> {
  /** column id, also the CSV header */
  id: string;
  /** message id of the header */
  messageId: string;
  value(row: Row): string | number;
}

/** RFC 4180 quoting, and a leading quote for cells a spreadsheet would run as a formula. */
const cell = (v: string | number) => {
  const s = String(v);
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function toCsv<Row>(columns: Column<Row>[], rows: Row[]): string {
  return [columns.map((c) => cell(c.id)).join(','), ...rows.map((r) => columns.map((c) => cell(c.value(r))).join(','))].join('\r\n');
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([`\uFEFF${text}`], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

/** A titled table with a CSV export of exactly what it shows. */
export function DataTable<Row>({ title, name, columns, rows }: { title: string; name: string; columns: Column<Row>[]; rows: Row[] }) {
  const { formatMessage } = useIntl();
  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius data-testid={`insights-table-${name}`}>
      <Flex justifyContent="space-between" paddingBottom={3}>
        <Typography variant="delta" tag="h2">{title}</Typography>
        <Button variant="tertiary" size="S" startIcon={<Download />} onClick={() => download(`${name}.csv`, toCsv(columns, rows))} data-testid={`insights-csv-${name}`}>
          {formatMessage({ id: 'insights.csv', defaultMessage: 'CSV' })}
        </Button>
      </Flex>
      {rows.length === 0 ? (
        <Typography variant="omega" textColor="neutral600">{formatMessage({ id: 'insights.empty', defaultMessage: 'No data in this range.' })}</Typography>
      ) : (
        <Table colCount={columns.length} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              {columns.map((c) => (
                <Th key={c.id}><Typography variant="sigma">{formatMessage({ id: c.messageId })}</Typography></Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id; the table is rebuilt on every load
              <Tr key={i}>
                {columns.map((c) => (
                  <Td key={c.id}><Typography variant="omega">{c.value(r)}</Typography></Td>
                ))}
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Box>
  );
}
