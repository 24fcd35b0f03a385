/** Customers: search (email, name, company, phone), filters, paging, saved segments. */
import { Badge, Box, Button, Flex, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useNavigate } from 'react-router-dom';
import { Select } from '../components/Select';
import { messageOf, useT } from '../utils/t';

interface Row {
  documentId: string;
  email: string | null;
  name: string | null;
  company: string | null;
  phone: string | null;
  country: string | null;
  tier: string | null;
  stage: string | null;
  score: number | null;
  grade: string | null;
  owner: { id: number; firstname: string | null; lastname: string | null } | null;
}
interface ListAnswer {
  results: Row[];
  pagination: { page: number; pageCount: number; total: number };
}
const TIERS = ['big_b', 'small_b', 'consumer'];
const STAGES = ['subscriber', 'lead', 'inquiry', 'negotiating', 'customer', 'loyal', 'advocate'];
export const ownerName = (o: Row['owner']) => (o ? [o.firstname, o.lastname].filter(Boolean).join(' ') : '');

export const CustomerList = () => {
  const t = useT();
  const { get } = useFetchClient();
  const navigate = useNavigate();
  const [filters, setFilters] = React.useState<Record<string, string>>({});
  const [page, setPage] = React.useState(1);
  const [data, setData] = React.useState<ListAnswer | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  // SEAM (crm-engage): saved segments come from their GET /crm/segments; absent until it is on main
  const [segments, setSegments] = React.useState<Array<{ documentId: string; name: string }>>([]);
  React.useEffect(() => {
    get<{ results?: Array<{ documentId: string; name: string }> }>('/crm/segments')
      .then(({ data: d }) => setSegments(d.results ?? []))
      .catch(() => setSegments([]));
  }, [get]);
  React.useEffect(() => {
    const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), page: String(page) });
    get<ListAnswer>(`/crm/customers?${params}`)
      .then(({ data: d }) => {
        setData(d);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [get, filters, page]);
  const set = (key: string) => (value: string) => {
    setPage(1);
    setFilters((f) => ({ ...f, [key]: value }));
  };
  const any: [string, string] = ['', t('filter.any')];
  return (
    <Box>
      <Flex gap={2} wrap="wrap" paddingBottom={4}>
        <Box style={{ width: 260 }}>
          <TextInput aria-label={t('filter.search')} placeholder={t('filter.search')} value={filters.q ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('q')(e.target.value)} />
        </Box>
        <Select label={t('filter.tier')} value={filters.tier ?? ''} onChange={set('tier')} options={[any, ...TIERS.map((v): [string, string] => [v, t(`tier.${v}`)])]} />
        <Select label={t('filter.stage')} value={filters.stage ?? ''} onChange={set('stage')} options={[any, ...STAGES.map((v): [string, string] => [v, t(`stage.${v}`)])]} />
        <Select label={t('filter.owner')} value={filters.owner ?? ''} onChange={set('owner')} options={[any, ['mine', t('filter.mine')], ['pool', t('filter.pool')]]} />
        <Box style={{ width: 90 }}>
          <TextInput aria-label={t('filter.country')} placeholder={t('filter.country')} value={filters.country ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('country')(e.target.value)} />
        </Box>
        <Box style={{ width: 90 }}>
          <TextInput aria-label={t('filter.scoreMin')} placeholder={t('filter.scoreMin')} value={filters.scoreMin ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('scoreMin')(e.target.value)} />
        </Box>
        <Box style={{ width: 90 }}>
          <TextInput aria-label={t('filter.scoreMax')} placeholder={t('filter.scoreMax')} value={filters.scoreMax ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('scoreMax')(e.target.value)} />
        </Box>
        {segments.length > 0 && (
          <Select label={t('filter.segment')} value={filters.segment ?? ''} onChange={set('segment')} options={[any, ...segments.map((s): [string, string] => [s.documentId, s.name])]} />
        )}
      </Flex>
      {error && <Typography textColor="danger600">{error}</Typography>}
      <Table colCount={7} rowCount={(data?.results.length ?? 0) + 1}>
        <Thead>
          <Tr>
            <Th><Typography variant="sigma">{t('col.customer')}</Typography></Th>
            <Th><Typography variant="sigma">{t('col.company')}</Typography></Th>
            <Th><Typography variant="sigma">{t('col.country')}</Typography></Th>
            <Th><Typography variant="sigma">{t('col.tier')}</Typography></Th>
            <Th><Typography variant="sigma">{t('col.stage')}</Typography></Th>
            <Th><Typography variant="sigma">{t('col.score')}</Typography></Th>
            <Th><Typography variant="sigma">{t('col.owner')}</Typography></Th>
          </Tr>
        </Thead>
        <Tbody>
          {data?.results.map((c) => (
            <Tr key={c.documentId} data-testid="crm-customer-row" onClick={() => navigate(`customers/${c.documentId}`)} style={{ cursor: 'pointer' }}>
              <Td>
                <Typography fontWeight="bold">{c.name ?? c.email}</Typography>
                <Typography variant="pi" tag="p">{c.email}</Typography>
              </Td>
              <Td><Typography>{c.company}</Typography></Td>
              <Td><Typography>{c.country}</Typography></Td>
              <Td>{c.tier && <Badge>{t(`tier.${c.tier}`)}</Badge>}</Td>
              <Td><Typography>{c.stage ? t(`stage.${c.stage}`) : ''}</Typography></Td>
              <Td><Typography>{c.score ?? 0} {c.grade}</Typography></Td>
              <Td><Typography>{c.owner ? ownerName(c.owner) : t('pool')}</Typography></Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {data && (
        <Flex gap={2} paddingTop={4}>
          <Button variant="tertiary" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>{t('page.prev')}</Button>
          <Typography>{t('page.of', { page: data.pagination.page, pages: Math.max(1, data.pagination.pageCount), total: data.pagination.total })}</Typography>
          <Button variant="tertiary" disabled={page >= data.pagination.pageCount} onClick={() => setPage((p) => p + 1)}>{t('page.next')}</Button>
        </Flex>
      )}
    </Box>
  );
};
