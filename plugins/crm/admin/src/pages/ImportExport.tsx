/**
 * CSV import of customer lists: pick a file, map its columns (guessed from the header), start;
 * the server imports in the background and this page polls the job for its progress bar and
 * the report of rejected rows (with their line numbers). CSV export of customers and inquiries.
 */
import { Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import { parse } from 'csv-parse/browser/esm/sync';
import * as React from 'react';
import { Select } from '../components/Select';
import { useCan } from '../utils/permissions';
import { messageOf, useT } from '../utils/t';

const FIELDS = ['email', 'name', 'phone', 'whatsapp', 'company', 'jobTitle', 'country', 'timeZone', 'language', 'tags', 'tier', 'stage', 'birthday'];
interface Job {
  id: number;
  status: 'running' | 'done' | 'failed';
  progress: number;
  processed: number;
  imported: number;
  updated: number;
  rejected: number;
  rejections: Array<{ line: number; reason: string }>;
  error: string | null;
}
/** a header's likely field: "E-mail" → email, "Company name" → company */
const guess = (header: string): string => {
  const h = header.toLowerCase().replace(/[^a-z]/g, '');
  return FIELDS.find((f) => h === f.toLowerCase() || h.includes(f.toLowerCase())) ?? (h.includes('mail') ? 'email' : h.includes('tel') ? 'phone' : 'ignore');
};

const Download = ({ path, label }: { path: string; label: string }) => {
  const { get } = useFetchClient();
  const [error, setError] = React.useState<string | null>(null);
  // through the fetch client: the admin's token travels as a header, never in a URL
  const download = () =>
    get<Blob>(path, { responseType: 'blob' } as never)
      .then(({ data }) => {
        const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data as BlobPart], { type: 'text/csv' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = path.split('/').pop() ?? 'export.csv';
        a.click();
        URL.revokeObjectURL(url);
      })
      .catch((e) => setError(messageOf(e)));
  return (
    <Box>
      <Button variant="secondary" onClick={download}>{label}</Button>
      {error && <Typography textColor="danger600">{error}</Typography>}
    </Box>
  );
};

export const ImportExport = () => {
  const t = useT();
  const { post, get } = useFetchClient();
  const canImport = useCan('customersImport');
  const canExport = useCan('customersExport');
  const [file, setFile] = React.useState<File | null>(null);
  const [headers, setHeaders] = React.useState<string[]>([]);
  const [mapping, setMapping] = React.useState<Record<string, string>>({});
  const [job, setJob] = React.useState<Job | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  const pick = async (f: File | null) => {
    setFile(f);
    setJob(null);
    setError(null);
    if (!f) return;
    try {
      const head = await f.slice(0, 64 * 1024).text();
      const [first] = parse(head.split(/\r?\n/)[0] ?? '', { bom: true }) as string[][];
      setHeaders(first ?? []);
      setMapping(Object.fromEntries((first ?? []).map((h) => [h, guess(h)])));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const start = async () => {
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    form.append('mapping', JSON.stringify(mapping));
    try {
      const { data } = await post<Job>('/crm/imports', form);
      setJob(data);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  React.useEffect(() => {
    if (job?.status !== 'running') return;
    const timer = setTimeout(() => get<Job>(`/crm/imports/${job.id}`).then(({ data }) => setJob(data)).catch((e) => setError(messageOf(e))), 1000);
    return () => clearTimeout(timer);
  }, [job, get]);

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      {canImport && (
        <Box background="neutral0" padding={4} hasRadius>
          <Typography variant="beta" tag="h2">{t('import.title')}</Typography>
          <Box paddingTop={2}>
            <input type="file" accept=".csv,text/csv" aria-label={t('import.file')} data-testid="crm-import-file" onChange={(e) => pick(e.target.files?.[0] ?? null)} />
          </Box>
          {headers.length > 0 && (
            <Box paddingTop={4}>
              <Typography variant="sigma">{t('import.mapping')}</Typography>
              {headers.map((h) => (
                <Flex key={h} gap={2} paddingTop={2}>
                  <Box style={{ width: 200 }}><Typography>{h}</Typography></Box>
                  <Select label={h} value={mapping[h] ?? 'ignore'} options={[['ignore', t('import.ignore')], ...FIELDS.map((f): [string, string] => [f, t(`field.${f}`)])]} onChange={(v) => setMapping((m) => ({ ...m, [h]: v }))} />
                </Flex>
              ))}
              <Box paddingTop={4}>
                <Button onClick={start} disabled={job?.status === 'running'} data-testid="crm-import-start">{t('import.start')}</Button>
              </Box>
            </Box>
          )}
          {error && <Typography textColor="danger600">{error}</Typography>}
          {job && (
            <Box paddingTop={4} data-testid="crm-import-job">
              <Box background="neutral150" hasRadius style={{ height: 12 }}>
                <Box background={job.status === 'failed' ? 'danger600' : 'primary600'} hasRadius style={{ height: 12, width: `${Math.round(job.progress * 100)}%` }} data-testid="crm-import-progress" />
              </Box>
              <Typography tag="p">
                {t(`import.${job.status}`, { imported: job.imported, updated: job.updated, rejected: job.rejected, processed: job.processed, percent: Math.round(job.progress * 100) })}
              </Typography>
              {job.error && <Typography textColor="danger600">{job.error}</Typography>}
              {job.rejections.length > 0 && (
                <Table colCount={2} rowCount={job.rejections.length + 1}>
                  <Thead>
                    <Tr>
                      <Th><Typography variant="sigma">{t('import.line')}</Typography></Th>
                      <Th><Typography variant="sigma">{t('import.reason')}</Typography></Th>
                    </Tr>
                  </Thead>
                  <Tbody>
                    {job.rejections.map((r) => (
                      <Tr key={`${r.line}-${r.reason}`} data-testid="crm-import-rejection">
                        <Td><Typography>{r.line}</Typography></Td>
                        <Td><Typography>{r.reason}</Typography></Td>
                      </Tr>
                    ))}
                  </Tbody>
                </Table>
              )}
            </Box>
          )}
        </Box>
      )}
      {canExport && (
        <Flex gap={2}>
          <Download path="/crm/export/customers.csv" label={t('export.customers')} />
          <Download path="/crm/export/inquiries.csv" label={t('export.inquiries')} />
        </Flex>
      )}
    </Flex>
  );
};
