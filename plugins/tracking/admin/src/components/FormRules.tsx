/**
 * A site's form rules: which forms on the storefront are inquiries, contact or newsletter
 * forms, or not to be recorded, by CSS selector (the WordPress add-on applies them; forms no
 * rule matches are classified from their fields and the page).
 */
import { Box, Button, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { type MessageDescriptor, useIntl } from 'react-intl';
import { messageOf } from '../utils/errors';

type Kind = 'inquiry' | 'contact' | 'newsletter' | 'other' | 'ignore';
interface Rule {
  match: string;
  kind: Kind;
}

const KINDS: [Kind, MessageDescriptor][] = [
  ['inquiry', { id: 'tracking.formRules.kind.inquiry', defaultMessage: 'Inquiry (RFQ)' }],
  ['contact', { id: 'tracking.formRules.kind.contact', defaultMessage: 'Contact' }],
  ['newsletter', { id: 'tracking.formRules.kind.newsletter', defaultMessage: 'Newsletter sign-up' }],
  ['other', { id: 'tracking.formRules.kind.other', defaultMessage: 'Other' }],
  ['ignore', { id: 'tracking.formRules.kind.ignore', defaultMessage: 'Do not record' }],
];

export const FormRules = ({ siteKey, onClose }: { siteKey: string; onClose: () => void }) => {
  const { get, put } = useFetchClient();
  const { formatMessage } = useIntl();
  const url = `/tracking/sites/${encodeURIComponent(siteKey)}/form-rules`;
  const [rules, setRules] = React.useState<Rule[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [saved, setSaved] = React.useState(false);

  React.useEffect(() => {
    get(url).then(
      (res: { data: { rules: Rule[] } }) => setRules(res.data.rules),
      (e: unknown) => setError(formatMessage({ id: 'tracking.formRules.loadFailed', defaultMessage: 'Could not load the rules: {message}' }, { message: messageOf(e) })),
    );
  }, [get, url, formatMessage]);

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
      setError(formatMessage({ id: 'tracking.formRules.saveFailed', defaultMessage: 'Rules not saved: {message}' }, { message: messageOf(e) }));
    }
  };

  return (
    <Box padding={3} marginTop={2} background="neutral100" hasRadius data-testid="moat-form-rules">
      <Typography variant="sigma" tag="h3">
        {formatMessage({ id: 'tracking.formRules.title', defaultMessage: 'Form rules for {site}' }, { site: siteKey })}
      </Typography>
      <Typography tag="p" variant="pi" textColor="neutral600">
        {formatMessage(
          {
            id: 'tracking.formRules.hint',
            defaultMessage:
              'A CSS selector of the form (e.g. {examples}) and what it is. The first matching rule wins; other forms are classified from their fields and the page.',
          },
          { examples: '#gform_7, .wpcf7 form, form[action*="quote"]' },
        )}
      </Typography>
      {rules === null && !error && <Typography>{formatMessage({ id: 'tracking.common.loading', defaultMessage: 'Loading…' })}</Typography>}
      {rules?.map((rule, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place and have no id
        <Flex key={i} gap={2} paddingTop={2} data-testid="moat-form-rule">
          <Box style={{ flex: 1 }}>
            <TextInput
              aria-label={formatMessage({ id: 'tracking.formRules.selector', defaultMessage: 'Selector of rule {n}' }, { n: i + 1 })}
              value={rule.match} onChange={(e: React.ChangeEvent<HTMLInputElement>) => change(i, { match: e.target.value })} />
          </Box>
          <Box style={{ width: 220 }}>
            <SingleSelect
              aria-label={formatMessage({ id: 'tracking.formRules.kind', defaultMessage: 'Kind of rule {n}' }, { n: i + 1 })}
              value={rule.kind} onChange={(value: string | number) => change(i, { kind: String(value) as Kind })}>
              {KINDS.map(([kind, label]) => (
                <SingleSelectOption key={kind} value={kind}>
                  {formatMessage(label)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Box>
          <Button variant="danger-light" onClick={() => setRules((list) => (list ?? []).filter((_, j) => j !== i))}>
            {formatMessage({ id: 'tracking.formRules.remove', defaultMessage: 'Remove' })}
          </Button>
        </Flex>
      ))}
      <Flex gap={2} paddingTop={3}>
        <Button variant="secondary" onClick={() => setRules((list) => [...(list ?? []), { match: '', kind: 'inquiry' }])} disabled={rules === null}>
          {formatMessage({ id: 'tracking.formRules.add', defaultMessage: 'Add a rule' })}
        </Button>
        <Button onClick={save} disabled={rules === null}>
          {formatMessage({ id: 'tracking.formRules.save', defaultMessage: 'Save rules' })}
        </Button>
        <Button variant="tertiary" onClick={onClose}>
          {formatMessage({ id: 'tracking.common.close', defaultMessage: 'Close' })}
        </Button>
        {saved && <Typography textColor="success600">{formatMessage({ id: 'tracking.formRules.saved', defaultMessage: 'Saved' })}</Typography>}
      </Flex>
      {error && (
        <Typography tag="p" textColor="danger600" variant="pi" data-testid="moat-form-rules-error">
          {error}
        </Typography>
      )}
    </Box>
  );
};
