/**
 * Edit-view side panel for email templates: renders the UNSAVED form values on the server
 * (POST /lifecycle-email/preview) as the content team types, at desktop or mobile width,
 * with MJML errors (line numbers), unresolved-variable and foreign-placeholder warnings, with
 * the sample data or a real customer's (CustomerPicker, for admins holding preview.customer).
 * Shown to admins whose role may preview; its send-test control to those who may send tests.
 */
import { Box, Button, Flex, TextInput, Typography } from '@strapi/design-system';
import { useAuth, unstable_useContentManagerContext as useContentManagerContext, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { messageOf } from '../utils/errors';
import { CustomerPicker, type PickedCustomer } from './CustomerPicker';
import { useCan } from '../utils/permissions';

const UID = 'plugin::lifecycle-email.email-template';
const WIDTHS = { desktop: 600, mobile: 375 } as const;

interface PreviewResult {
  subject?: string;
  html?: string;
  errors: Array<{ line: number; message: string }>;
  warnings: string[];
}

/**
 * Sends the saved version of this template, with its sample data, to one address: any address
 * with send-test.any, else only to the admin's own (the field is filled in and locked; the
 * server refuses other addresses too).
 */
const SendTest = ({ documentId, customerId }: { documentId?: string; customerId: string | null }) => {
  const { post } = useFetchClient();
  const { formatMessage } = useIntl();
  const canSend = useCan('sendTest');
  const canSendAnywhere = useCan('sendTestAny');
  const ownEmail = useAuth('SendTest', (state) => state.user?.email) ?? '';
  const [typed, setTyped] = React.useState('');
  const [status, setStatus] = React.useState<string | null>(null);
  if (!documentId || !canSend) return null;
  const to = canSendAnywhere ? typed : ownEmail;
  const locale = new URLSearchParams(window.location.search).get('plugins[i18n][locale]') ?? 'en';
  const send = async () => {
    setStatus(formatMessage({ id: 'lifecycle-email.sendTest.sending', defaultMessage: 'Sending…' }));
    try {
      await post('/lifecycle-email/send-test', { documentId, locale, to, customerId });
      setStatus(formatMessage({ id: 'lifecycle-email.sendTest.sent', defaultMessage: 'Sent to {to}' }, { to }));
    } catch (error) {
      setStatus(formatMessage({ id: 'lifecycle-email.sendTest.failed', defaultMessage: 'Not sent: {message}' }, { message: messageOf(error) }));
    }
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={1}>
      <TextInput
        aria-label={formatMessage({ id: 'lifecycle-email.sendTest.to', defaultMessage: 'Send test to' })}
        placeholder="you@example.com"
        value={to}
        disabled={!canSendAnywhere}
        onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTyped(e.target.value)}
      />
      {!canSendAnywhere && (
        <Typography variant="pi" textColor="neutral600" data-testid="moat-send-test-own">
          {formatMessage({ id: 'lifecycle-email.sendTest.own', defaultMessage: 'Tests go to your own address' })}
        </Typography>
      )}
      <Button size="S" variant="secondary" onClick={send} disabled={!to}>
        {formatMessage({ id: 'lifecycle-email.sendTest.send', defaultMessage: 'Send test email (saved version)' })}
      </Button>
      {status && (
        <Typography variant="pi" data-testid="moat-send-test-status">
          {status}
        </Typography>
      )}
    </Flex>
  );
};

const PreviewContent = ({ documentId }: { documentId?: string }) => {
  const { form } = useContentManagerContext() as unknown as { form: { values: Record<string, unknown> } };
  const { post } = useFetchClient();
  const { formatMessage } = useIntl();
  const [result, setResult] = React.useState<PreviewResult | null>(null);
  const [width, setWidth] = React.useState<keyof typeof WIDTHS>('desktop');
  const [customer, setCustomer] = React.useState<PickedCustomer | null>(null);
  const values = form.values;
  const customerId = customer?.documentId ?? null;

  React.useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        const { data } = await post<PreviewResult>('/lifecycle-email/preview', {
          subject: String(values.subject ?? ''),
          preheader: (values.preheader as string | null) ?? null,
          mjml: String(values.mjml ?? '') || '<mjml><mj-body></mj-body></mjml>',
          textOverride: (values.textOverride as string | null) ?? null,
          data: (values.sampleData as Record<string, unknown>) ?? {},
          customerId,
        });
        setResult(data);
      } catch (error) {
        // a template refused before compiling (a limit, malformed MJML, too slow) is a 400 saying why
        setResult({ errors: [{ line: 0, message: messageOf(error) }], warnings: [] });
      }
    }, 350);
    return () => clearTimeout(timer);
  }, [values.subject, values.preheader, values.mjml, values.textOverride, values.sampleData, customerId, post]);

  const scale = 0.45;
  return (
    <Flex direction="column" alignItems="stretch" gap={2} width="100%" data-testid="moat-preview-panel">
      <Flex gap={2}>
        {(Object.keys(WIDTHS) as Array<keyof typeof WIDTHS>).map((w) => (
          <Button key={w} size="S" variant={w === width ? 'default' : 'tertiary'} onClick={() => setWidth(w)}>
            {w === 'desktop'
              ? formatMessage({ id: 'lifecycle-email.preview.desktop', defaultMessage: 'Desktop' })
              : formatMessage({ id: 'lifecycle-email.preview.mobile', defaultMessage: 'Mobile' })}
          </Button>
        ))}
      </Flex>
      <CustomerPicker value={customer} onChange={setCustomer} />
      {result?.subject !== undefined && (
        <Typography variant="pi" data-testid="moat-preview-subject">
          {formatMessage({ id: 'lifecycle-email.preview.subject', defaultMessage: 'Subject: {subject}' }, { subject: result.subject })}
        </Typography>
      )}
      {result?.errors.map((e) => (
        <Typography key={`${e.line}-${e.message}`} variant="pi" textColor="danger600" data-testid="moat-preview-error">
          {e.line > 0
            ? formatMessage({ id: 'lifecycle-email.preview.errorAtLine', defaultMessage: 'Line {line}: {message}' }, { line: e.line, message: e.message })
            : formatMessage({ id: 'lifecycle-email.preview.error', defaultMessage: 'Not rendered: {message}' }, { message: e.message })}
        </Typography>
      ))}
      {result?.warnings.map((w) => (
        <Typography key={w} variant="pi" textColor="warning600" data-testid="moat-preview-warning">
          {w}
        </Typography>
      ))}
      {result?.html && (
        <Box style={{ width: WIDTHS[width] * scale, height: 700 * scale, overflow: 'hidden', border: '1px solid #dcdce4' }}>
          <iframe
            title={formatMessage({ id: 'lifecycle-email.preview.frame', defaultMessage: 'Email preview' })}
            data-testid="moat-preview-frame"
            srcDoc={result.html}
            sandbox=""
            style={{ width: WIDTHS[width], height: 700, border: 0, transform: `scale(${scale})`, transformOrigin: '0 0' }}
          />
        </Box>
      )}
      <SendTest documentId={documentId} customerId={customerId} />
    </Flex>
  );
};

export const PreviewPanel = ({ model, documentId }: { model: string; documentId?: string }) => {
  // Strapi renders a panel description as a component, so it may use hooks (before any return)
  const canPreview = useCan('preview');
  const { formatMessage } = useIntl();
  if (model !== UID || !canPreview) return null;
  return { title: formatMessage({ id: 'lifecycle-email.preview.title', defaultMessage: 'Email preview' }), content: <PreviewContent documentId={documentId} /> };
};
PreviewPanel.type = 'preview';
