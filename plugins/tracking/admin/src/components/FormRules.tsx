/**
 * A site's form rules: which forms on the storefront are inquiries, contact or newsletter
 * forms, or not to be recorded, by CSS selector (the WordPress add-on applies them; forms no
 * rule matches are classified from their fields and the page).
 */
import { Box, Button, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';

type Kind = 'inquiry' | 'contact' | 'newsletter' | 'other' | 'ignore';
interface Rule {
  match: string;
  kind: Kind;
}

const KINDS: [Kind, string][] = [
  ['inquiry', 'Inquiry (RFQ)'],
  ['contact', 'Contact'],
  ['newsletter', 'Newsletter sign-up'],
  ['other', 'Other'],
  ['ignore', 'Do not record'],
];

const messageOf = (error: unknown) =>
  (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? (error as Error).message;

export const FormRules = ({ siteKey, onClose }: { siteKey: string; onClose: () => void }) => {
  const { get, put } = useFetchClient();
  const url = `/tracking/sites/${encodeURIComponent(siteKey)}/form-rules`;
  const [rules, setRules] = React.useState<Rule[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [saved, setSaved] = React.useState(false);

  React.useEffect(() => {
    get(url).then(
      (res: { data: { rules: Rule[] } }) => setRules(res.data.rules),
      (e: unknown) => setError(messageOf(e)),
    );
  }, [get, url]);

  const change = (i: number, patch: Partial<Rule>) => {
    setSaved(false);
    setRules((list) => (list ?? []).map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const save = async () => {
    setError(null);
    try {
      const res = await put(url, { rules: (rules ?? []).filter((r) => r.match.trim()) });
      setRules(res.data.rules);
      setSaved(true);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <Box padding={3} marginTop={2} background="neutral100" hasRadius data-testid="moat-form-rules">
      <Typography variant="sigma" tag="h3">
        Form rules for {siteKey}
      </Typography>
      <Typography tag="p" variant="pi" textColor="neutral600">
        A CSS selector of the form (e.g. #gform_7, .wpcf7 form, form[action*="quote"]) and what it is. The first matching rule wins; other forms are
        classified from their fields and the page.
      </Typography>
      {rules === null && !error && <Typography>Loading…</Typography>}
      {rules?.map((rule, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id
        <Flex key={i} gap={2} paddingTop={2} data-testid="moat-form-rule">
          <Box style={{ flex: 1 }}>
            <TextInput aria-label={`Selector of rule ${i + 1}`} value={rule.match} onChange={(e: React.ChangeEvent<HTMLInputElement>) => change(i, { match: e.target.value })} />
          </Box>
          <Box style={{ width: 220 }}>
            <SingleSelect aria-label={`Kind of rule ${i + 1}`} value={rule.kind} onChange={(value: string | number) => change(i, { kind: String(value) as Kind })}>
              {KINDS.map(([kind, label]) => (
                <SingleSelectOption key={kind} value={kind}>
                  {label}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <Button variant="danger-light" onClick={() => setRules((list) => (list ?? []).filter((_, j) => j !== i))}>
            Remove
          </Button>
        </Flex>
      ))}
      <Flex gap={2} paddingTop={3}>
        <Button variant="secondary" onClick={() => setRules((list) => [...(list ?? []), { match: '', kind: 'inquiry' }])} disabled={rules === null}>
          Add a rule
        </Button>
        <Button onClick={save} disabled={rules === null}>
          Save rules
        </Button>
        <Button variant="tertiary" onClick={onClose}>
          Close
        </Button>
        {saved && <Typography textColor="success600">Saved</Typography>}
      </Flex>
      {error && (
        <Typography tag="p" textColor="danger600" variant="pi" data-testid="moat-form-rules-error">
          {error}
        </Typography>
      )}
    </Box>
  );
};
