/**
 * One step of the flow being edited: its kind's fields, move up / down / remove, and the
 * problems the server named for it (`steps[i]…`). Branch targets are later steps or the end.
 */
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { type StepForm, END } from '../../utils/flow-form';
import { type Vocabulary, ConditionFields } from './ConditionFields';
import { Choice, Problems, type T, TextField } from './fields';

interface Props {
  t: T;
  step: StepForm;
  index: number;
  steps: StepForm[];
  /** template names to pick from; null: the admin may not read the gallery, so the name is typed */
  templates: string[] | null;
  vocabulary: Vocabulary;
  problems?: string[];
  /** stats of the saved flow at this index: reached / sent / left */
  stats?: { entered: number; sent: number; exited: number };
  readOnly: boolean;
  onChange(step: StepForm): void;
  onMove(delta: -1 | 1): void;
  onRemove(): void;
}

export const StepCard = ({ t, step, index, steps, templates, vocabulary, problems, stats, readOnly, onChange, onMove, onRemove }: Props) => {
  const later: Array<[string, string]> = [...steps.slice(index + 1).map((s, i): [string, string] => [s.id, t('step.target', { n: index + i + 2, type: t(`step.type.${s.type}`) })]), [END, t('step.end')]];
  const set = (patch: Partial<StepForm>) => onChange({ ...step, ...patch } as StepForm);
  return (
    <Box padding={3} hasRadius borderColor={problems?.length ? 'danger600' : 'neutral200'} borderStyle="solid" borderWidth="1px" data-testid="moat-flow-editor-step" data-type={step.type}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Flex justifyContent="space-between">
          <Typography variant="omega" fontWeight="bold">
            {index + 1}. {t(`step.type.${step.type}`)}
          </Typography>
          {stats && (
            <Typography variant="pi" textColor="neutral600" data-testid="moat-flow-editor-step-stats">
              {t('step.stats', stats)}
            </Typography>
          )}
          {!readOnly && (
            <Flex gap={1}>
              <Button variant="tertiary" size="S" disabled={index === 0} onClick={() => onMove(-1)}>
                {t('step.up')}
              </Button>
              <Button variant="tertiary" size="S" disabled={index === steps.length - 1} onClick={() => onMove(1)}>
                {t('step.down')}
              </Button>
              <Button variant="danger-light" size="S" disabled={steps.length === 1} onClick={onRemove}>
                {t('step.remove')}
              </Button>
            </Flex>
          )}
        </Flex>
        <Flex gap={2} wrap="wrap" alignItems="flex-end">
          {step.type === 'wait' && (
            <>
              <TextField label={t('step.days')} value={step.days} disabled={readOnly} onChange={(days) => set({ days })} />
              <TextField label={t('step.hours')} value={step.hours} disabled={readOnly} onChange={(hours) => set({ hours })} />
              <TextField label={t('step.minutes')} value={step.minutes} disabled={readOnly} onChange={(minutes) => set({ minutes })} />
            </>
          )}
          {step.type === 'wait_until' && (
            <>
              <TextField label={t('step.time')} value={step.time} disabled={readOnly} onChange={(time) => set({ time })} />
              <Weekdays t={t} value={step.weekdays} readOnly={readOnly} onChange={(weekdays) => set({ weekdays })} />
            </>
          )}
          {step.type === 'send' && (
            <>
              {templates === null ? (
                <TextField label={t('step.template')} value={step.template} disabled={readOnly} width="240px" onChange={(template) => set({ template })} />
              ) : (
                <Choice
                  data
                  label={t('step.template')}
                  value={step.template}
                  disabled={readOnly}
                  options={(templates.includes(step.template) || !step.template ? templates : [step.template, ...templates]).map((n) => [n, n])}
                  onChange={(template) => set({ template })}
                />
              )}
              <Choice label={t('step.kind')} value={step.kind} disabled={readOnly} options={(['marketing', 'transactional'] as const).map((k) => [k, t(`step.kind.${k}`)])} onChange={(kind) => set({ kind: kind as 'marketing' })} />
            </>
          )}
          {step.type === 'branch' && (
            <>
              <ConditionFields t={t} value={step.condition} vocabulary={vocabulary} disabled={readOnly} onChange={(condition) => set({ condition })} />
              <Choice label={t('step.whenTrue')} value={step.whenTrue} disabled={readOnly} options={later} onChange={(whenTrue) => set({ whenTrue })} />
              <Choice label={t('step.whenFalse')} value={step.whenFalse} disabled={readOnly} options={later} onChange={(whenFalse) => set({ whenFalse })} />
            </>
          )}
          {step.type === 'exit' && <TextField label={t('step.reason')} value={step.reason} disabled={readOnly} width="280px" onChange={(reason) => set({ reason })} />}
        </Flex>
        <Problems problems={problems} testId="moat-flow-editor-step-problems" />
      </Flex>
    </Box>
  );
};

/** Monday first: the working week exporters plan by */
const WEEK = [1, 2, 3, 4, 5, 6, 0];

/** Days a wait-until may end on (0 = Sunday); none picked means every day. Names come from the admin's locale. */
const Weekdays = ({ t, value, readOnly, onChange }: { t: T; value?: number[]; readOnly: boolean; onChange(weekdays: number[] | undefined): void }) => {
  const { locale } = useIntl();
  // 4 January 2026 was a Sunday
  const name = (d: number) => new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 4 + d)));
  const toggle = (d: number) => {
    const next = value?.includes(d) ? value.filter((x) => x !== d) : [...(value ?? []), d].sort((a, b) => a - b);
    onChange(next.length ? next : undefined);
  };
  return (
    <Flex direction="column" alignItems="flex-start" gap={1}>
      <Typography variant="pi" fontWeight="bold">
        {t('step.weekdays')}
      </Typography>
      <Flex gap={1} data-testid="moat-flow-editor-weekdays">
        {WEEK.map((d) => (
          <Button key={d} size="S" variant={value?.includes(d) ? 'secondary' : 'tertiary'} aria-pressed={value?.includes(d) ?? false} disabled={readOnly} onClick={() => toggle(d)} data-testid={`moat-flow-editor-weekday-${d}`}>
            {name(d)}
          </Button>
        ))}
      </Flex>
      {!value?.length && (
        <Typography variant="pi" textColor="neutral600">
          {t('step.everyDay')}
        </Typography>
      )}
    </Flex>
  );
};
