/**
 * Picks a real CRM customer whose data the preview (and send-test) uses instead of the
 * template's sample data. Shown only to admins holding preview.customer: it lists customers'
 * names and addresses (GET /lifecycle-email/preview-customers?q=).
 */
import { Box, Button, Flex, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { messageOf } from '../utils/errors';
import { useCan } from '../utils/permissions';

export interface PickedCustomer {
  documentId: string;
  name: string | null;
  email: string | null;
  company: string | null;
}

const label = (c: PickedCustomer) => [c.name, c.email, c.company].filter(Boolean).join(' · ') || c.documentId;

export const CustomerPicker = ({ value, onChange }: { value: PickedCustomer | null; onChange(customer: PickedCustomer | null): void }) => {
  const canUse = useCan('previewCustomer');
  const { get } = useFetchClient();
  const { formatMessage } = useIntl();
  const [q, setQ] = React.useState('');
  const [results, setResults] = React.useState<PickedCustomer[] | null>(null);
  const [failure, setFailure] = React.useState<string | null>(null);

  React.useEffect(() => {
    if (!canUse || value || q.trim() === '') {
      setResults(null);
      return;
    }
    // typing: search once the admin pauses
    const timer = setTimeout(async () => {
      try {
        const { data } = await get<{ results: PickedCustomer[] }>(`/lifecycle-email/preview-customers?q=${encodeURIComponent(q.trim())}`);
        setResults(data.results);
        setFailure(null);
      } catch (error) {
        setFailure(messageOf(error));
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [q, canUse, value, get]);

  if (!canUse) return null;
  if (value) {
    return (
      <Flex direction="column" alignItems="stretch" gap={1} data-testid="moat-preview-customer">
        <Typography variant="pi">{formatMessage({ id: 'lifecycle-email.preview.customer.using', defaultMessage: 'Data of {customer}' }, { customer: label(value) })}</Typography>
        <Button size="S" variant="tertiary" onClick={() => onChange(null)}>
          {formatMessage({ id: 'lifecycle-email.preview.customer.clear', defaultMessage: 'Use sample data' })}
        </Button>
      </Flex>
    );
  }
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      <TextInput
        aria-label={formatMessage({ id: 'lifecycle-email.preview.customer.search', defaultMessage: 'Preview with a customer' })}
        placeholder={formatMessage({ id: 'lifecycle-email.preview.customer.placeholder', defaultMessage: 'Search customers by name, email or company' })}
        value={q}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQ(e.target.value)}
        data-testid="moat-preview-customer-search"
      />
      {failure && (
        <Typography variant="pi" textColor="danger600">
          {formatMessage({ id: 'lifecycle-email.preview.customer.failed', defaultMessage: 'Search failed: {message}' }, { message: failure })}
        </Typography>
      )}
      {results?.length === 0 && (
        <Typography variant="pi" textColor="neutral600">
          {formatMessage({ id: 'lifecycle-email.preview.customer.none', defaultMessage: 'No customer found' })}
        </Typography>
      )}
      {results && results.length > 0 && (
        <Box>
          {results.map((c) => (
            <Button key={c.documentId} size="S" variant="ghost" onClick={() => onChange(c)} data-testid="moat-preview-customer-option">
              {label(c)}
            </Button>
          ))}
        </Box>
      )}
    </Flex>
  );
};
