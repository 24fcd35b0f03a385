import { SingleSelect, SingleSelectOption } from '@strapi/design-system';

/** a labelled single select over [value, label] pairs ('' = any) */
export const Select = ({ label, value, options, onChange, testId }: { label: string; value: string; options: Array<[string, string]>; onChange(value: string): void; testId?: string }) => (
  <SingleSelect aria-label={label} placeholder={label} value={value} onChange={(v: string | number) => onChange(String(v))} data-testid={testId}>
    {options.map(([v, text]) => (
      <SingleSelectOption key={v} value={v}>
        {text}
      </SingleSelectOption>
    ))}
  </SingleSelect>
);
