import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { Upload } from '@strapi/icons';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { messageOf } from '../utils/errors';

interface Result { imported: number; errors: Array<{ line: number; message: string }> }

/** Upload ad spend as CSV: the good rows are imported, each bad one listed with its line. */
export function SpendUpload({ onImported }: { onImported(): void }) {
  const { post } = useFetchClient();
  const { formatMessage } = useIntl();
  const input = React.useRef<HTMLInputElement>(null);
  const [result, setResult] = React.useState<Result | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  const upload = async (file: File) => {
    setError(null);
    try {
      const { data } = await post<Result>('/insights/spend', { csv: await file.text() });
      setResult(data);
      onImported();
    } catch (e) {
      setResult(null);
      setError(messageOf(e));
    }
  };

  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius data-testid="insights-spend">
      <Flex justifyContent="space-between">
        <Typography variant="delta" tag="h2">{formatMessage({ id: 'insights.spend.title', defaultMessage: 'Ad spend' })}</Typography>
        <Button variant="secondary" startIcon={<Upload />} onClick={() => input.current?.click()}>
          {formatMessage({ id: 'insights.spend.upload', defaultMessage: 'Upload CSV' })}
        </Button>
        <input ref={input} type="file" accept=".csv,text/csv" hidden data-testid="insights-spend-file" onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} />
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {formatMessage({ id: 'insights.spend.format', defaultMessage: 'Columns: date, source, medium, campaign, impressions, clicks, spend, currency' })}
      </Typography>
      {error && (
        <Typography tag="p" textColor="danger600">{formatMessage({ id: 'insights.spend.failed', defaultMessage: 'Upload refused: {message}' }, { message: error })}</Typography>
      )}
      {result && (
        <Box paddingTop={2} data-testid="insights-spend-result">
          <Typography tag="p">{formatMessage({ id: 'insights.spend.imported', defaultMessage: '{count} rows imported' }, { count: result.imported })}</Typography>
          {result.errors.map((e) => (
            <Typography key={e.line} tag="p" textColor="danger600">
              {formatMessage({ id: 'insights.spend.badRow', defaultMessage: 'Line {line}: {message}' }, { line: e.line, message: e.message })}
            </Typography>
          ))}
        </Box>
      )}
    </Box>
  );
}
