/**
 * Edit-view side panel for email templates: renders the UNSAVED form values on the server
 * (POST /lifecycle-email/preview) as the content team types, at desktop or mobile width,
 * with MJML errors (line numbers) and unresolved-variable warnings.
 */
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { unstable_useContentManagerContext as useContentManagerContext, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';

const UID = 'plugin::lifecycle-email.email-template';
const WIDTHS = { desktop: 600, mobile: 375 } as const;

interface PreviewResult {
  subject?: string;
  html?: string;
  errors: Array<{ line: number; message: string }>;
  warnings: string[];
}

const PreviewContent = () => {
  const { form } = useContentManagerContext() as unknown as { form: { values: Record<string, unknown> } };
  const { post } = useFetchClient();
  const [result, setResult] = React.useState<PreviewResult | null>(null);
  const [width, setWidth] = React.useState<keyof typeof WIDTHS>('desktop');
  const values = form.values;

  React.useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        const { data } = await post<PreviewResult>('/lifecycle-email/preview', {
          subject: String(values.subject ?? ''),
          mjml: String(values.mjml ?? '') || '<mjml><mj-body></mj-body></mjml>',
          textOverride: (values.textOverride as string | null) ?? null,
          data: (values.sampleData as Record<string, unknown>) ?? {},
        });
        setResult(data);
      } catch (error) {
        setResult({ errors: [{ line: 0, message: (error as Error).message }], warnings: [] });
      }
    }, 350);
    return () => clearTimeout(timer);
  }, [values.subject, values.mjml, values.textOverride, values.sampleData, post]);

  const scale = 0.45;
  return (
    <Flex direction="column" alignItems="stretch" gap={2} width="100%">
      <Flex gap={2}>
        {(Object.keys(WIDTHS) as Array<keyof typeof WIDTHS>).map((w) => (
          <Button key={w} size="S" variant={w === width ? 'default' : 'tertiary'} onClick={() => setWidth(w)}>
            {w === 'desktop' ? 'Desktop' : 'Mobile'}
          </Button>
        ))}
      </Flex>
      {result?.subject !== undefined && (
        <Typography variant="pi" data-testid="moat-preview-subject">
          Subject: {result.subject}
        </Typography>
      )}
      {result?.errors.map((e) => (
        <Typography key={`${e.line}-${e.message}`} variant="pi" textColor="danger600" data-testid="moat-preview-error">
          {e.line > 0 ? `Line ${e.line}: ` : ''}
          {e.message}
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
            title="Email preview"
            data-testid="moat-preview-frame"
            srcDoc={result.html}
            sandbox=""
            style={{ width: WIDTHS[width], height: 700, border: 0, transform: `scale(${scale})`, transformOrigin: '0 0' }}
          />
        </Box>
      )}
    </Flex>
  );
};

export const PreviewPanel = ({ model }: { model: string }) => {
  if (model !== UID) return null;
  return { title: 'Email preview', content: <PreviewContent /> };
};
PreviewPanel.type = 'preview';
