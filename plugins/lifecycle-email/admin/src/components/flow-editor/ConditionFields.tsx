/**
 * One condition (a branch's or the trigger's): a customer field compared with a value, a
 * touchpoint seen within some hours, or JSON for what has no fields here (all / any / not / segment).
 */
import { Flex, Textarea } from '@strapi/design-system';
import type * as React from 'react';
import { type ConditionForm, OPS } from '../../utils/flow-form';
import { Choice, type T, TextField } from './fields';

export interface Vocabulary {
  events: string[];
  customerFields: string[];
  dateFields: string[];
}

const fresh = (kind: ConditionForm['kind'], v: Vocabulary): ConditionForm => {
  switch (kind) {
    case 'none':
      return { kind };
    case 'field':
      return { kind, field: v.customerFields[0] ?? 'ordersCount', op: 'gt', value: '0' };
    case 'touchpoint':
      return { kind, touchpoint: v.events[0] ?? 'page_view', withinHours: '24' };
    case 'json':
      return { kind, text: '{ "all": [] }' };
  }
};

export const ConditionFields = ({ t, value, onChange, vocabulary, optional, disabled }: { t: T; value: ConditionForm; onChange(c: ConditionForm): void; vocabulary: Vocabulary; optional?: boolean; disabled?: boolean }) => {
  const kinds = (optional ? ['none', 'field', 'touchpoint', 'json'] : ['field', 'touchpoint', 'json']) as Array<ConditionForm['kind']>;
  return (
    <Flex gap={2} wrap="wrap" alignItems="flex-end">
      <Choice
        label={t('condition.kind')}
        value={value.kind}
        disabled={disabled}
        options={kinds.map((k) => [k, t(`condition.kind.${k}`)])}
        onChange={(k) => onChange(fresh(k as ConditionForm['kind'], vocabulary))}
      />
      {value.kind === 'field' && (
        <>
          <Choice data label={t('condition.field')} value={value.field} disabled={disabled} options={vocabulary.customerFields.map((f) => [f, f])} onChange={(field) => onChange({ ...value, field })} />
          <Choice label={t('condition.op')} value={value.op} disabled={disabled} options={OPS.map((o) => [o, t(`op.${o}`)])} onChange={(op) => onChange({ ...value, op })} />
          {value.op !== 'exists' && <TextField label={t('condition.value')} value={value.value} disabled={disabled} onChange={(v) => onChange({ ...value, value: v })} />}
        </>
      )}
      {value.kind === 'touchpoint' && (
        <>
          <Choice data label={t('condition.touchpoint')} value={value.touchpoint} disabled={disabled} options={vocabulary.events.map((e) => [e, e])} onChange={(touchpoint) => onChange({ ...value, touchpoint })} />
          <TextField label={t('condition.withinHours')} value={value.withinHours} disabled={disabled} onChange={(withinHours) => onChange({ ...value, withinHours })} />
        </>
      )}
      {value.kind === 'json' && (
        <div style={{ minWidth: '360px' }}>
          <Textarea aria-label={t('condition.json')} value={value.text} disabled={disabled} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => onChange({ ...value, text: e.target.value })} />
        </div>
      )}
    </Flex>
  );
};
