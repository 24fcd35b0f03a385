/**
 * What starts a flow (touchpoints / customer and inquiry changes, or a date on the customer),
 * what ends it early (goals) and whether a customer may enter again (re-entry).
 */
import { Box, Checkbox, Flex, Typography } from '@strapi/design-system';
import { BUILTIN_GOALS, type FlowForm } from '../../utils/flow-form';
import { ConditionFields, type Vocabulary } from './ConditionFields';
import { Choice, Choices, Problems, type T, TextField } from './fields';

interface Props {
  t: T;
  form: FlowForm;
  vocabulary: Vocabulary;
  readOnly: boolean;
  problems: string[];
  onChange(patch: Partial<FlowForm>): void;
}

export const TriggerFields = ({ t, form, vocabulary, readOnly, problems, onChange }: Props) => {
  const tr = form.trigger;
  const events = vocabulary.events.map((e): [string, string] => [e, e]);
  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
      <Flex direction="column" alignItems="stretch" gap={3}>
        <Typography variant="delta" tag="h2">
          {t('trigger.title')}
        </Typography>
        <Flex gap={2} wrap="wrap" alignItems="flex-end">
          <Choice
            label={t('trigger.on')}
            value={tr.on}
            disabled={readOnly}
            options={[
              ['event', t('trigger.on.event')],
              ['date', t('trigger.on.date')],
            ]}
            onChange={(on) =>
              onChange({
                trigger: on === 'date' ? { on: 'date', field: vocabulary.dateFields[0] ?? 'birthday', afterDays: '', minYears: '', condition: tr.condition } : { on: 'event', events: [], condition: tr.condition },
              })
            }
          />
          {tr.on === 'event' && <Choices label={t('trigger.events')} value={tr.events} disabled={readOnly} options={events} onChange={(v) => onChange({ trigger: { ...tr, events: v } })} />}
          {tr.on === 'date' && (
            <>
              <Choice data label={t('trigger.field')} value={tr.field} disabled={readOnly} options={vocabulary.dateFields.map((f) => [f, f])} onChange={(field) => onChange({ trigger: { ...tr, field } })} />
              <TextField label={t('trigger.afterDays')} value={tr.afterDays} disabled={readOnly} onChange={(afterDays) => onChange({ trigger: { ...tr, afterDays } })} />
              <TextField label={t('trigger.minYears')} value={tr.minYears} disabled={readOnly} onChange={(minYears) => onChange({ trigger: { ...tr, minYears } })} />
            </>
          )}
        </Flex>
        <Typography variant="pi" textColor="neutral600">
          {t('trigger.if')}
        </Typography>
        <ConditionFields t={t} optional value={tr.condition} vocabulary={vocabulary} disabled={readOnly} onChange={(condition) => onChange({ trigger: { ...tr, condition } })} />
        <Typography variant="delta" tag="h2">
          {t('goals.title')}
        </Typography>
        <Flex gap={4} wrap="wrap" alignItems="flex-end">
          {BUILTIN_GOALS.map((g) => (
            <Checkbox
              key={g}
              checked={form.goals.includes(g)}
              disabled={readOnly}
              onCheckedChange={(on: boolean) => onChange({ goals: on ? [...form.goals, g] : form.goals.filter((x) => x !== g) })}
            >
              {t(`goal.${g}`)}
            </Checkbox>
          ))}
          <Choices label={t('goals.events')} value={form.goalEvents} disabled={readOnly} options={events} onChange={(goalEvents) => onChange({ goalEvents })} />
        </Flex>
        <Flex gap={2} wrap="wrap" alignItems="flex-end">
          <Choice
            label={t('reentry.title')}
            value={form.reentry.mode}
            disabled={readOnly}
            options={(['once', 'always', 'after'] as const).map((m) => [m, t(`reentry.${m}`)])}
            onChange={(mode) => onChange({ reentry: { ...form.reentry, mode: mode as 'once' } })}
          />
          {form.reentry.mode === 'after' && <TextField label={t('reentry.days')} value={form.reentry.days} disabled={readOnly} onChange={(days) => onChange({ reentry: { ...form.reentry, days } })} />}
        </Flex>
        <Problems problems={problems} testId="moat-flow-editor-problems" />
      </Flex>
    </Box>
  );
};
