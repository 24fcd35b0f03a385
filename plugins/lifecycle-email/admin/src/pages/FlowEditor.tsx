/**
 * The flow editor (/plugins/lifecycle-email/flows/new and /flows/:id): name, trigger, ordered
 * steps, goals and re-entry; Save (POST / PUT) shows the server's problems at the step they
 * name; the on/off switch; a saved flow's per-step stats and enrollments. Admins without
 * flows.manage see the flow read-only, without save, add or enable controls.
 */
import { Box, Button, Flex, Switch, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { FlowDefinition } from '../../../server/src/flows/definition';
import type { Vocabulary } from '../components/flow-editor/ConditionFields';
import { Enrollments } from '../components/flow-editor/Enrollments';
import { Choice, useT } from '../components/flow-editor/fields';
import { StepCard } from '../components/flow-editor/StepCard';
import { TriggerFields } from '../components/flow-editor/TriggerFields';
import { messageOf } from '../utils/errors';
import { definitionOf, emptyForm, type FlowForm, formOf, keyOf, newStep, problemsByStep, problemsOf, STEP_TYPES, type StepType } from '../utils/flow-form';
import { useCan } from '../utils/permissions';

interface SavedFlow {
  id: number;
  name: string;
  enabled: boolean;
  definition: FlowDefinition;
  steps?: Array<{ index: number; entered: number; sent: number; exited: number }>;
}

const NO_VOCABULARY: Vocabulary = { events: [], customerFields: [], dateFields: [] };

export const FlowEditor = () => {
  const t = useT();
  const { id } = useParams();
  const navigate = useNavigate();
  const { get, post, put } = useFetchClient();
  const canManage = useCan('flowsManage');
  const canGallery = useCan('galleryRead');
  const flowId = id && id !== 'new' ? Number(id) : null;
  const [form, setForm] = React.useState<FlowForm | null>(flowId ? null : emptyForm());
  const [saved, setSaved] = React.useState<SavedFlow | null>(null);
  const [vocabulary, setVocabulary] = React.useState<Vocabulary>(NO_VOCABULARY);
  const [templates, setTemplates] = React.useState<string[] | null>(null);
  const [problems, setProblems] = React.useState<string[]>([]);
  const [notice, setNotice] = React.useState<string | null>(null);
  const [addType, setAddType] = React.useState<StepType>('send');
  const [busy, setBusy] = React.useState(false);
  const [refresh, setRefresh] = React.useState(0);

  const load = React.useCallback(async () => {
    const { data } = await get<{ flows: SavedFlow[]; vocabulary: Vocabulary }>('/lifecycle-email/flows');
    setVocabulary(data.vocabulary);
    const flow = flowId ? data.flows.find((f) => f.id === flowId) : undefined;
    if (flow) setSaved(flow);
    return flow;
  }, [get, flowId]);
  React.useEffect(() => {
    load().then((flow) => flow && setForm(formOf(flow.name, flow.definition)));
  }, [load]);
  React.useEffect(() => {
    if (canGallery) get<{ templates: Array<{ name: string }> }>('/lifecycle-email/gallery').then(({ data }) => setTemplates(data.templates.map((x) => x.name)));
  }, [get, canGallery]);

  // a new flow is for admins who may manage flows only (the server refuses the others too)
  if (!form || (!flowId && !canManage)) return null;
  const readOnly = !canManage;
  const { steps: stepProblems, general } = problemsByStep(problems);
  const patch = (p: Partial<FlowForm>) => setForm({ ...form, ...p });
  const setSteps = (steps: FlowForm['steps']) => patch({ steps });
  const move = (i: number, delta: -1 | 1) => {
    const steps = [...form.steps];
    [steps[i], steps[i + delta]] = [steps[i + delta], steps[i]];
    setSteps(steps);
  };

  const save = async () => {
    setBusy(true);
    setProblems([]);
    setNotice(null);
    try {
      const body = { name: form.name, definition: definitionOf(form) };
      if (saved) {
        await put(`/lifecycle-email/flows/${saved.id}`, body);
        await load();
        setNotice(t('saved'));
      } else {
        const { data } = await post<{ flow: SavedFlow }>('/lifecycle-email/flows', { ...body, key: keyOf(form.name), enabled: false });
        // from flows/new to flows/<id>
        navigate(`../${data.flow.id}`, { relative: 'path' });
      }
    } catch (e) {
      setProblems(problemsOf(e));
    } finally {
      setBusy(false);
    }
  };
  const toggle = async () => {
    if (!saved) return;
    setProblems([]);
    try {
      await put(`/lifecycle-email/flows/${saved.id}`, { enabled: !saved.enabled });
      await load();
      setRefresh((n) => n + 1);
    } catch (e) {
      setProblems([messageOf(e)]);
    }
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4} data-testid="moat-flow-editor">
      <Flex justifyContent="space-between" alignItems="flex-end" wrap="wrap" gap={3}>
        <Link to="../.." relative="path">
          {t('back')}
        </Link>
        <Flex gap={3} alignItems="center">
          {saved && (
            <Switch
              aria-label={t('enabled')}
              checked={saved.enabled}
              disabled={readOnly}
              onCheckedChange={toggle}
              onLabel={t('on')}
              offLabel={t('off')}
              data-testid="moat-flow-editor-enabled"
            />
          )}
          {!readOnly && (
            <Button onClick={save} loading={busy} data-testid="moat-flow-editor-save">
              {t('save')}
            </Button>
          )}
        </Flex>
      </Flex>
      {notice && (
        <Typography tag="p" textColor="success600" data-testid="moat-flow-editor-notice">
          {notice}
        </Typography>
      )}
      <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography variant="pi" fontWeight="bold">
            {t('name')}
          </Typography>
          <TextInput aria-label={t('name')} value={form.name} disabled={readOnly} onChange={(e: React.ChangeEvent<HTMLInputElement>) => patch({ name: e.target.value })} />
        </Flex>
      </Box>
      <TriggerFields t={t} form={form} vocabulary={vocabulary} readOnly={readOnly} problems={general} onChange={patch} />
      <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
        <Flex direction="column" alignItems="stretch" gap={3}>
          <Typography variant="delta" tag="h2">
            {t('steps.title')}
          </Typography>
          {form.steps.map((s, i) => (
            <StepCard
              key={s.id}
              t={t}
              step={s}
              index={i}
              steps={form.steps}
              templates={templates}
              vocabulary={vocabulary}
              problems={stepProblems.get(i)}
              stats={saved?.steps?.[i]}
              readOnly={readOnly}
              onChange={(step) => setSteps(form.steps.map((x) => (x.id === s.id ? step : x)))}
              onMove={(delta) => move(i, delta)}
              onRemove={() => setSteps(form.steps.filter((x) => x.id !== s.id))}
            />
          ))}
          {!readOnly && (
            <Flex gap={2} alignItems="flex-end">
              <Choice label={t('steps.addType')} value={addType} options={STEP_TYPES.map((k) => [k, t(`step.type.${k}`)])} onChange={(v) => setAddType(v as StepType)} />
              <Button variant="secondary" onClick={() => setSteps([...form.steps, newStep(addType)])} data-testid="moat-flow-editor-add-step">
                {t('steps.add')}
              </Button>
            </Flex>
          )}
        </Flex>
      </Box>
      {saved && <Enrollments key={refresh} t={t} flowId={saved.id} />}
    </Flex>
  );
};
