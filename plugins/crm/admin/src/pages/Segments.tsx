/**
 * "Segments": saved rule sets over customers, with a rule builder and a live count of who
 * matches (POST /crm/segments/count, debounced). Reading needs segments.read; saving and
 * deleting segments.manage (the buttons are hidden without it).
 */
import { Box, Button, Flex, Table, Tbody, Td, Textarea, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { ACTIONS } from '../../../server/src/permissions';
import { useCan } from '../utils/permissions';
import { newCondition, type Node, RuleGroup } from '../components/RuleBuilder';

interface Segment {
  documentId: string;
  name: string;
  description?: string | null;
  rules: Node;
}

export const SEGMENT_PERMISSIONS = {
  read: [{ action: ACTIONS.segmentsRead, subject: null }],
  manage: [{ action: ACTIONS.segmentsManage, subject: null }],
};

/** whether the admin holds segments.manage (false until their permissions arrive): utils/permissions' useCan */
const useCanManage = () => useCan('segmentsManage');

const messageOf = (error: unknown): string =>
  (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? (error as Error).message;

const blank = (): Omit<Segment, 'documentId'> & { documentId?: string } => ({ name: '', description: '', rules: { op: 'and', rules: [newCondition('tier')] } });

const Segments = () => {
  const { get, post, put, del } = useFetchClient();
  const { formatMessage } = useIntl();
  const canManage = useCanManage();
  const [segments, setSegments] = React.useState<Segment[] | null>(null);
  const [draft, setDraft] = React.useState(blank);
  const [count, setCount] = React.useState<{ n: number | null; error: string | null }>({ n: null, error: null });
  const [status, setStatus] = React.useState<string | null>(null);

  const load = React.useCallback(() => get<{ data: Segment[] }>('/crm/segments').then(({ data }) => setSegments(data.data), () => setSegments([])), [get]);
  React.useEffect(() => {
    load();
  }, [load]);

  // the live count, 400 ms after the last change
  const rulesJson = JSON.stringify(draft.rules);
  React.useEffect(() => {
    const timer = setTimeout(() => {
      post<{ count: number }>('/crm/segments/count', { rules: JSON.parse(rulesJson) }).then(
        ({ data }) => setCount({ n: data.count, error: null }),
        (error) => setCount({ n: null, error: messageOf(error) }),
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [rulesJson, post]);

  const save = async () => {
    setStatus(null);
    try {
      const body = { name: draft.name, description: draft.description, rules: draft.rules };
      const { data } = draft.documentId ? await put<{ data: Segment }>(`/crm/segments/${draft.documentId}`, body) : await post<{ data: Segment }>('/crm/segments', body);
      setDraft({ ...data.data, description: data.data.description ?? '' });
      setStatus(formatMessage({ id: 'crm.segments.saved', defaultMessage: 'Saved.' }));
      load();
    } catch (error) {
      setStatus(formatMessage({ id: 'crm.segments.saveFailed', defaultMessage: 'Not saved: {message}' }, { message: messageOf(error) }));
    }
  };
  const remove = async () => {
    if (!draft.documentId) return;
    await del(`/crm/segments/${draft.documentId}`).catch(() => undefined);
    setDraft(blank());
    load();
  };

  return (
    <Page.Main>
      <Layouts.Header
        title={formatMessage({ id: 'crm.segments.title', defaultMessage: 'Segments' })}
        subtitle={formatMessage({ id: 'crm.segments.subtitle', defaultMessage: 'Groups of customers by rules, counted live; campaigns and the customer list reuse them' })}
      />
      <Layouts.Content>
        <Flex gap={6} alignItems="flex-start">
          <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius style={{ width: 320 }}>
            <Flex justifyContent="space-between" paddingBottom={2}>
              <Typography variant="delta" tag="h2">
                {formatMessage({ id: 'crm.segments.saved.title', defaultMessage: 'Saved segments' })}
              </Typography>
              <Button variant="tertiary" size="S" onClick={() => setDraft(blank())}>
                {formatMessage({ id: 'crm.segments.new', defaultMessage: 'New' })}
              </Button>
            </Flex>
            <Table colCount={1} rowCount={segments?.length ?? 0}>
              <Thead>
                <Tr>
                  <Th>
                    <Typography variant="sigma">{formatMessage({ id: 'crm.segments.name', defaultMessage: 'Name' })}</Typography>
                  </Th>
                </Tr>
              </Thead>
              <Tbody>
                {(segments ?? []).map((s) => (
                  <Tr key={s.documentId} onClick={() => setDraft({ ...s, description: s.description ?? '' })} style={{ cursor: 'pointer' }} data-testid="crm-segment-row">
                    <Td>
                      <Typography fontWeight={s.documentId === draft.documentId ? 'bold' : undefined}>{s.name}</Typography>
                    </Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
          </Box>
          <Flex direction="column" alignItems="stretch" gap={4} style={{ flex: 1 }}>
            <Flex gap={4}>
              <Box style={{ flex: 1 }}>
                <TextInput
                  aria-label={formatMessage({ id: 'crm.segments.name', defaultMessage: 'Name' })}
                  placeholder={formatMessage({ id: 'crm.segments.namePlaceholder', defaultMessage: 'Big buyers in Germany' })}
                  value={draft.name}
                  disabled={!canManage}
                  onChange={(e: React.ChangeEvent<HTMLInputElement>) => setDraft({ ...draft, name: e.target.value })}
                />
              </Box>
              <Box background="primary100" padding={3} hasRadius data-testid="crm-segment-count">
                <Typography variant="omega" fontWeight="bold">
                  {count.n === null
                    ? formatMessage({ id: 'crm.segments.counting', defaultMessage: 'Counting…' })
                    : formatMessage({ id: 'crm.segments.count', defaultMessage: '{n, plural, one {# customer matches} other {# customers match}}' }, { n: count.n })}
                </Typography>
              </Box>
            </Flex>
            <Textarea
              aria-label={formatMessage({ id: 'crm.segments.description', defaultMessage: 'Description' })}
              value={draft.description ?? ''}
              disabled={!canManage}
              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setDraft({ ...draft, description: e.target.value })}
            />
            <RuleGroup group={draft.rules} onChange={(rules) => setDraft({ ...draft, rules })} />
            {count.error && (
              <Typography textColor="danger600" data-testid="crm-segment-error">
                {formatMessage({ id: 'crm.segments.invalid', defaultMessage: 'These rules cannot be counted: {message}' }, { message: count.error })}
              </Typography>
            )}
            {canManage && (
              <Flex gap={2}>
                <Button onClick={save} disabled={!draft.name.trim() || !!count.error}>
                  {formatMessage({ id: 'crm.segments.save', defaultMessage: 'Save segment' })}
                </Button>
                {draft.documentId && (
                  <Button variant="danger-light" onClick={remove}>
                    {formatMessage({ id: 'crm.segments.delete', defaultMessage: 'Delete' })}
                  </Button>
                )}
                {status && <Typography>{status}</Typography>}
              </Flex>
            )}
          </Flex>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};

const SegmentsPage = () => (
  <Page.Protect permissions={SEGMENT_PERMISSIONS.read}>
    <Segments />
  </Page.Protect>
);

export default SegmentsPage;
