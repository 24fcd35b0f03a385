/**
 * The segment rule builder: one and/or group of conditions, each of which may be a nested
 * group (one level in this editor; the API takes up to four). What it edits is exactly the
 * rules JSON the server validates (engage/segment-rules.ts), so the server's 400 names the row.
 */
import { Box, Button, Checkbox, Flex, MultiSelect, MultiSelectOption, NumberInput, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import type * as React from 'react';
import { useIntl } from 'react-intl';
import { CONSENTS, INQUIRY_STATUSES, STAGES, TIERS } from '../../../server/src/engage/segment-values';

export type Node = Record<string, unknown> & { field?: string; op?: 'and' | 'or'; rules?: Node[] };

const ENUMS: Record<string, readonly string[]> = { tier: TIERS, stage: STAGES, consent: CONSENTS, inquiryStatus: INQUIRY_STATUSES };
const LISTS = ['country', 'language', 'tags'];
const RANGES = ['score', 'ordersCount', 'totalSpent'];
export const FIELDS = ['tier', 'stage', 'country', 'language', 'tags', 'score', 'consent', 'ordersCount', 'totalSpent', 'lastSeen', 'touchpoint', 'inquiryStatus'];

/** a fresh condition of that field, valid enough to count */
export function newCondition(field: string): Node {
  if (ENUMS[field]) return { field, in: [ENUMS[field][0]] };
  if (field === 'tags') return { field, match: 'any', values: [] };
  if (LISTS.includes(field)) return { field, in: [] };
  if (RANGES.includes(field)) return { field, min: 0 };
  if (field === 'lastSeen') return { field, withinDays: 30 };
  if (field === 'touchpoint') return { field, type: 'product_view', withinDays: 30 };
  return { field };
}

const PLACEHOLDERS = {
  country: { id: 'crm.segments.placeholder.country', defaultMessage: 'DE, FR' },
  language: { id: 'crm.segments.placeholder.language', defaultMessage: 'de, zh-Hans' },
  tags: { id: 'crm.segments.placeholder.tags', defaultMessage: 'vip, wholesale' },
};

const split = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const Condition = ({ node, onChange, label }: { node: Node; onChange(next: Node): void; label: string }) => {
  const { formatMessage } = useIntl();
  const field = node.field as string;
  const set = (patch: Record<string, unknown>) => onChange({ ...node, ...patch });
  const number = (key: string, id: string, defaultMessage: string) => (
    <Box style={{ width: 140 }}>
      <NumberInput
        aria-label={formatMessage({ id, defaultMessage }, { rule: label })}
        placeholder={formatMessage({ id, defaultMessage }, { rule: label })}
        value={node[key] as number | undefined}
        onValueChange={(value: number | undefined) => {
          const next = { ...node };
          if (value === undefined) delete next[key];
          else next[key] = value;
          onChange(next);
        }}
      />
    </Box>
  );
  if (ENUMS[field])
    return (
      <Box style={{ minWidth: 260 }}>
        <MultiSelect
          aria-label={formatMessage({ id: 'crm.segments.values', defaultMessage: 'Values of {rule}' }, { rule: label })}
          value={(node.in as string[]) ?? []}
          onChange={(values: string[]) => set({ in: values })}
          withTags
        >
          {ENUMS[field].map((value) => (
            <MultiSelectOption key={value} value={value}>
              {formatMessage({ id: `crm.segments.value.${value}`, defaultMessage: value })}
            </MultiSelectOption>
          ))}
        </MultiSelect>
      </Box>
    );
  if (LISTS.includes(field))
    return (
      <Flex gap={2}>
        {field === 'tags' && (
          <SingleSelect aria-label={formatMessage({ id: 'crm.segments.tagsMatch', defaultMessage: 'How tags of {rule} match' }, { rule: label })} value={(node.match as string) ?? 'any'} onChange={(value: string | number) => set({ match: String(value) })}>
            <SingleSelectOption value="any">{formatMessage({ id: 'crm.segments.match.any', defaultMessage: 'Any of' })}</SingleSelectOption>
            <SingleSelectOption value="all">{formatMessage({ id: 'crm.segments.match.all', defaultMessage: 'All of' })}</SingleSelectOption>
            <SingleSelectOption value="none">{formatMessage({ id: 'crm.segments.match.none', defaultMessage: 'None of' })}</SingleSelectOption>
          </SingleSelect>
        )}
        <Box style={{ width: 260 }}>
          <TextInput
            aria-label={formatMessage({ id: 'crm.segments.list', defaultMessage: 'Comma-separated values of {rule}' }, { rule: label })}
            placeholder={formatMessage(PLACEHOLDERS[field as keyof typeof PLACEHOLDERS])}
            defaultValue={((field === 'tags' ? node.values : node.in) as string[] | undefined)?.join(', ') ?? ''}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => set(field === 'tags' ? { values: split(e.target.value) } : { in: split(e.target.value) })}
          />
        </Box>
      </Flex>
    );
  if (RANGES.includes(field))
    return (
      <Flex gap={2}>
        {number('min', 'crm.segments.min', 'At least ({rule})')}
        {number('max', 'crm.segments.max', 'At most ({rule})')}
      </Flex>
    );
  if (field === 'lastSeen') {
    const within = node.withinDays !== undefined;
    const days = (node.withinDays ?? node.notWithinDays) as number | undefined;
    return (
      <Flex gap={2}>
        <SingleSelect aria-label={formatMessage({ id: 'crm.segments.lastSeenMode', defaultMessage: 'Seen or not ({rule})' }, { rule: label })} value={within ? 'within' : 'notWithin'} onChange={(value: string | number) => onChange(value === 'within' ? { field, withinDays: days ?? 30 } : { field, notWithinDays: days ?? 30 })}>
          <SingleSelectOption value="within">{formatMessage({ id: 'crm.segments.seenWithin', defaultMessage: 'Seen within' })}</SingleSelectOption>
          <SingleSelectOption value="notWithin">{formatMessage({ id: 'crm.segments.notSeenWithin', defaultMessage: 'Not seen within' })}</SingleSelectOption>
        </SingleSelect>
        {number(within ? 'withinDays' : 'notWithinDays', 'crm.segments.days', 'Days ({rule})')}
      </Flex>
    );
  }
  if (field === 'touchpoint')
    return (
      <Flex gap={2}>
        <Box style={{ width: 180 }}>
          <TextInput aria-label={formatMessage({ id: 'crm.segments.touchpointType', defaultMessage: 'Touchpoint type ({rule})' }, { rule: label })} placeholder="product_view" value={(node.type as string) ?? ''} onChange={(e: React.ChangeEvent<HTMLInputElement>) => set({ type: e.target.value.trim() })} />
        </Box>
        {number('withinDays', 'crm.segments.days', 'Days ({rule})')}
        <Checkbox checked={node.absent === true} onCheckedChange={(checked: boolean) => set({ absent: checked === true })}>
          {formatMessage({ id: 'crm.segments.absent', defaultMessage: 'Has none' })}
        </Checkbox>
      </Flex>
    );
  return null;
};

export const RuleGroup = ({ group, onChange, depth = 0, path = '' }: { group: Node; onChange(next: Node): void; depth?: number; path?: string }) => {
  const { formatMessage } = useIntl();
  const rules = group.rules ?? [];
  const setRule = (i: number, next: Node | null) => onChange({ ...group, rules: next ? rules.map((r, j) => (j === i ? next : r)) : rules.filter((_, j) => j !== i) });
  return (
    <Box padding={3} hasRadius borderColor="neutral200" background={depth ? 'neutral100' : 'neutral0'}>
      <Flex gap={2} paddingBottom={2}>
        <Typography variant="sigma">{formatMessage({ id: 'crm.segments.match', defaultMessage: 'Match' })}</Typography>
        <SingleSelect aria-label={formatMessage({ id: 'crm.segments.op', defaultMessage: 'All or any of the rules' })} value={group.op ?? 'and'} onChange={(value: string | number) => onChange({ ...group, op: value === 'or' ? 'or' : 'and' })}>
          <SingleSelectOption value="and">{formatMessage({ id: 'crm.segments.op.and', defaultMessage: 'all of these (and)' })}</SingleSelectOption>
          <SingleSelectOption value="or">{formatMessage({ id: 'crm.segments.op.or', defaultMessage: 'any of these (or)' })}</SingleSelectOption>
        </SingleSelect>
      </Flex>
      <Flex direction="column" alignItems="stretch" gap={2}>
        {rules.map((rule, i) => {
          const rulePath = `${path}rules[${i}]`;
          return (
            <Flex key={rulePath} gap={2} alignItems="flex-start" data-testid="crm-segment-rule">
              {rule.rules ? (
                <Box style={{ flex: 1 }}>
                  <RuleGroup group={rule} depth={depth + 1} path={`${rulePath}.`} onChange={(next) => setRule(i, next)} />
                </Box>
              ) : (
                <>
                  <Box style={{ width: 200 }}>
                    <SingleSelect aria-label={formatMessage({ id: 'crm.segments.field', defaultMessage: 'Field of {rule}' }, { rule: rulePath })} value={rule.field as string} onChange={(value: string | number) => setRule(i, newCondition(String(value)))}>
                      {FIELDS.map((field) => (
                        <SingleSelectOption key={field} value={field}>
                          {formatMessage({ id: `crm.segments.field.${field}`, defaultMessage: field })}
                        </SingleSelectOption>
                      ))}
                    </SingleSelect>
                  </Box>
                  <Condition key={rule.field as string} node={rule} label={rulePath} onChange={(next) => setRule(i, next)} />
                </>
              )}
              <Button variant="danger-light" size="S" onClick={() => setRule(i, null)}>
                {formatMessage({ id: 'crm.segments.remove', defaultMessage: 'Remove' })}
              </Button>
            </Flex>
          );
        })}
      </Flex>
      <Flex gap={2} paddingTop={2}>
        <Button variant="secondary" size="S" onClick={() => onChange({ ...group, rules: [...rules, newCondition('tier')] })}>
          {formatMessage({ id: 'crm.segments.addRule', defaultMessage: 'Add a condition' })}
        </Button>
        {depth === 0 && (
          <Button variant="tertiary" size="S" onClick={() => onChange({ ...group, rules: [...rules, { op: 'or', rules: [newCondition('country')] }] })}>
            {formatMessage({ id: 'crm.segments.addGroup', defaultMessage: 'Add a group' })}
          </Button>
        )}
      </Flex>
    </Box>
  );
};
