/**
 * Small labelled inputs for the flow editor (design-system inputs under a visible label) and
 * its translation helper: every key is `lifecycle-email.editor.<key>`, English from en.json.
 */
import { Flex, MultiSelect, MultiSelectOption, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import type * as React from 'react';
import { useIntl } from 'react-intl';
export type T = (key: string, values?: Record<string, string | number>) => string;

export const useT = (): T => {
  const { formatMessage } = useIntl();
  // no defaultMessage: the key check (scripts/admin-i18n) wants every text in en.json and
  // zh-Hans.json, which the admin loads for the user's language; a key missing from both shows the key
  return (key, values) => formatMessage({ id: `lifecycle-email.editor.${key}` }, values);
};

const Labelled = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <Flex direction="column" alignItems="stretch" gap={1}>
    <Typography variant="pi" fontWeight="bold">
      {label}
    </Typography>
    {children}
  </Flex>
);

export const TextField = ({ label, value, onChange, disabled, width = '160px' }: { label: string; value: string; onChange(v: string): void; disabled?: boolean; width?: string }) => (
  <div style={{ minWidth: width }}>
    <Labelled label={label}>
      <TextInput aria-label={label} value={value} disabled={disabled} onChange={(e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value)} />
    </Labelled>
  </div>
);

/** `data`: the options are data (template names, touchpoint types, field ids), not Moat's wording (data-moat-data) */
interface ChoiceProps<V> {
  label: string;
  value: V;
  options: Array<[string, string]>;
  onChange(v: V): void;
  disabled?: boolean;
  data?: boolean;
}

export const Choice = ({ label, value, options, onChange, disabled, data }: ChoiceProps<string>) => (
  <div style={{ minWidth: '200px' }}>
    <Labelled label={label}>
      <div data-moat-data={data ? '' : undefined}>
        <SingleSelect aria-label={label} value={value} disabled={disabled} onChange={(v: string | number) => onChange(String(v))}>
          {options.map(([v, text]) => (
            <SingleSelectOption key={v} value={v}>
              {text}
            </SingleSelectOption>
          ))}
        </SingleSelect>
      </div>
    </Labelled>
  </div>
);

export const Choices = ({ label, value, options, onChange, disabled }: Omit<ChoiceProps<string[]>, 'data'>) => (
  <div style={{ minWidth: '280px' }}>
    <Labelled label={label}>
      {/* touchpoint types by their ids */}
      <div data-moat-data="">
        <MultiSelect aria-label={label} value={value} disabled={disabled} withTags onChange={(v: string[]) => onChange(v)}>
          {options.map(([v, text]) => (
            <MultiSelectOption key={v} value={v}>
              {text}
            </MultiSelectOption>
          ))}
        </MultiSelect>
      </div>
    </Labelled>
  </div>
);

/** Problems the server named for this place, in red. */
export const Problems = ({ problems, testId }: { problems?: string[]; testId?: string }) =>
  problems && problems.length > 0 ? (
    <Flex direction="column" alignItems="flex-start" gap={1} data-testid={testId}>
      {problems.map((p) => (
        <Typography key={p} variant="pi" textColor="danger600">
          {p}
        </Typography>
      ))}
    </Flex>
  ) : null;
