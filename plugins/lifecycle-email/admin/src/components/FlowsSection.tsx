/**
 * Flows on the Lifecycle email page: each flow (linking to its editor) with its on/off switch (for admins who may
 * manage flows), its enrollments and, per step, how many enrollments reached it, were sent
 * mail there and left there; "New flow" for admins who may manage flows.
 */
import { Box, Button, Flex, Switch, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { Link, useNavigate } from 'react-router-dom';
import { PREBUILT_FLOWS } from '../../../server/src/flows/prebuilt';
import { useCan } from '../utils/permissions';

interface FlowStepStats {
  index: number;
  type: string;
  template?: string;
  entered: number;
  sent: number;
  exited: number;
}
interface Flow {
  id: number;
  key: string;
  name: string;
  enabled: boolean;
  enrollments: { active: number; completed: number; exited: number };
  steps: FlowStepStats[];
}

const SEEDED = new Map(PREBUILT_FLOWS.map((f) => [f.key, f.name]));

export const FlowsSection = () => {
  const { get, put } = useFetchClient();
  const { formatMessage } = useIntl();
  const canManage = useCan('flowsManage');
  const navigate = useNavigate();
  const [flows, setFlows] = React.useState<Flow[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  const load = React.useCallback(() => get<{ flows: Flow[] }>('/lifecycle-email/flows').then(({ data }) => setFlows(data.flows)), [get]);
  React.useEffect(() => {
    void load();
  }, [load]);

  const toggle = async (flow: Flow) => {
    setError(null);
    try {
      await put(`/lifecycle-email/flows/${flow.id}`, { enabled: !flow.enabled });
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  // a seeded flow still under its seeded name shows in the admin's language; renamed ones as named
  const nameOf = (f: Flow) => (SEEDED.get(f.key) === f.name ? formatMessage({ id: `lifecycle-email.flows.prebuilt.${f.key}`, defaultMessage: f.name }) : f.name);
  const stepLabel = (s: FlowStepStats) => `${s.index + 1}. ${formatMessage({ id: `lifecycle-email.flows.step.${s.type}`, defaultMessage: s.type })}`;

  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
      <Flex justifyContent="space-between">
        <Typography variant="delta" tag="h2">
          {formatMessage({ id: 'lifecycle-email.flows.title', defaultMessage: 'Flows' })}
        </Typography>
        {canManage && (
          <Button variant="secondary" onClick={() => navigate('flows/new')} data-testid="moat-flow-new">
            {formatMessage({ id: 'lifecycle-email.flows.new', defaultMessage: 'New flow' })}
          </Button>
        )}
      </Flex>
      {error && (
        <Typography tag="p" textColor="danger600">
          {error}
        </Typography>
      )}
      <Table colCount={4} rowCount={(flows?.length ?? 0) + 1}>
        <Thead>
          <Tr>
            <Th><Typography variant="sigma">{formatMessage({ id: 'lifecycle-email.flows.name', defaultMessage: 'Flow' })}</Typography></Th>
            <Th><Typography variant="sigma">{formatMessage({ id: 'lifecycle-email.flows.enabled', defaultMessage: 'On' })}</Typography></Th>
            <Th><Typography variant="sigma">{formatMessage({ id: 'lifecycle-email.flows.enrollments', defaultMessage: 'Enrollments' })}</Typography></Th>
            <Th><Typography variant="sigma">{formatMessage({ id: 'lifecycle-email.flows.steps', defaultMessage: 'Steps (reached / sent / left)' })}</Typography></Th>
          </Tr>
        </Thead>
        <Tbody>
          {flows?.map((f) => (
            <Tr key={f.id} data-testid="moat-flow-row">
              <Td data-moat-data="">
                {/* the editor: read-only for admins who may not manage flows */}
                <Link to={`flows/${f.id}`}>{nameOf(f)}</Link>
              </Td>
              <Td>
                <Switch
                  aria-label={formatMessage({ id: 'lifecycle-email.flows.toggle', defaultMessage: 'Turn {name} on or off' }, { name: nameOf(f) })}
                  checked={f.enabled}
                  disabled={!canManage}
                  onCheckedChange={() => toggle(f)}
                />
              </Td>
              <Td>
                <Typography>
                  {formatMessage(
                    { id: 'lifecycle-email.flows.counts', defaultMessage: '{active} active · {completed} completed · {exited} left' },
                    { active: f.enrollments.active, completed: f.enrollments.completed, exited: f.enrollments.exited },
                  )}
                </Typography>
              </Td>
              <Td>
                <Flex direction="column" alignItems="flex-start" gap={1}>
                  {f.steps.map((s) => (
                    <Typography key={s.index} variant="pi" data-testid="moat-flow-step">
                      {stepLabel(s)}
                      {/* the template's name is the store owner's own label */}
                      {s.template && <span data-moat-data=""> · {s.template}</span>}: {s.entered} / {s.sent} / {s.exited}
                    </Typography>
                  ))}
                </Flex>
              </Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Box>
  );
};
