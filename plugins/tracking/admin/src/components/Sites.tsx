/**
 * The "Install" panel: one script tag per site key, and the site keys themselves. Sites from
 * the configuration (MOAT_SITES) are read-only here; a store owner adds, edits and removes
 * their own, and collect accepts a new site at once. Those controls show only to admins whose
 * role holds sites.manage (the API refuses the others anyway).
 */
import { Badge, Box, Button, Flex, Textarea, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { messageOf } from '../utils/errors';
import { FormRules } from './FormRules';

export interface Site {
  key: string;
  origins: string[];
  managedBy: 'config' | 'admin';
}

/** origins as typed: one per line, or separated by spaces or commas */
const splitOrigins = (text: string) => text.split(/[\s,]+/).filter(Boolean);

const snippet = (key: string) => `<script async src="${window.location.origin}/moat/t.js" data-site="${key}"></script>`;

const SiteRow = ({ site, onChanged, canManage }: { site: Site; onChanged: () => void; canManage: boolean }) => {
  const { put, del } = useFetchClient();
  const { formatMessage } = useIntl();
  const [copied, setCopied] = React.useState(false);
  const [editing, setEditing] = React.useState<string | null>(null);
  const [confirming, setConfirming] = React.useState(false);
  const [rulesOpen, setRulesOpen] = React.useState(false);
  const [error, setError] = React.useState<string | null>(null);
  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      setEditing(null);
      setConfirming(false);
      onChanged();
    } catch (e) {
      setError(formatMessage({ id: 'tracking.sites.saveFailed', defaultMessage: 'Not saved: {message}' }, { message: messageOf(e) }));
    }
  };
  return (
    <Box paddingTop={3} data-testid="moat-site">
      <Flex gap={2}>
        <Typography variant="omega">
          {formatMessage(
            { id: 'tracking.sites.summary', defaultMessage: 'Site <b>{key}</b> · allowed origins: {origins}' },
            { key: site.key, origins: site.origins.join(', '), b: (chunks: React.ReactNode) => <b>{chunks}</b> },
          )}
        </Typography>
        {site.managedBy === 'config' && <Badge>{formatMessage({ id: 'tracking.sites.fromConfig', defaultMessage: 'from configuration' })}</Badge>}
        {site.managedBy === 'admin' && canManage && (
          <>
            <Button size="S" variant="tertiary" onClick={() => setEditing(site.origins.join('\n'))}>
              {formatMessage({ id: 'tracking.sites.editOrigins', defaultMessage: 'Edit origins' })}
            </Button>
            <Button
              size="S"
              variant={confirming ? 'danger' : 'danger-light'}
              onClick={() => (confirming ? run(() => del(`/tracking/sites/${encodeURIComponent(site.key)}`)) : setConfirming(true))}
            >
              {confirming
                ? formatMessage({ id: 'tracking.sites.confirmRemove', defaultMessage: 'Click again to remove' })
                : formatMessage({ id: 'tracking.sites.remove', defaultMessage: 'Remove' })}
            </Button>
          </>
        )}
        {canManage && (
          <Button size="S" variant="tertiary" onClick={() => setRulesOpen(!rulesOpen)}>
            {formatMessage({ id: 'tracking.sites.formRules', defaultMessage: 'Form rules' })}
          </Button>
        )}
      </Flex>
      {rulesOpen && <FormRules siteKey={site.key} onClose={() => setRulesOpen(false)} />}
      {editing !== null && (
        <Flex gap={2} paddingTop={2} alignItems="flex-start">
          <Box style={{ flex: 1 }}>
            <Textarea
              aria-label={formatMessage({ id: 'tracking.sites.originsOf', defaultMessage: 'Allowed origins of {key}' }, { key: site.key })}
              value={editing} onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setEditing(e.target.value)} />
          </Box>
          <Button onClick={() => run(() => put(`/tracking/sites/${encodeURIComponent(site.key)}`, { origins: splitOrigins(editing) }))}>
            {formatMessage({ id: 'tracking.common.save', defaultMessage: 'Save' })}
          </Button>
          <Button variant="tertiary" onClick={() => setEditing(null)}>
            {formatMessage({ id: 'tracking.common.cancel', defaultMessage: 'Cancel' })}
          </Button>
        </Flex>
      )}
      {error && (
        <Typography textColor="danger600" variant="pi" data-testid="moat-site-error">
          {error}
        </Typography>
      )}
      <Flex gap={2} paddingTop={1}>
        <Box as="pre" padding={2} background="neutral100" hasRadius style={{ margin: 0, overflowX: 'auto', flex: 1 }} data-testid="moat-snippet">
          {snippet(site.key)}
        </Box>
        <Button
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard?.writeText(snippet(site.key)).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied
            ? formatMessage({ id: 'tracking.sites.copied', defaultMessage: 'Copied' })
            : formatMessage({ id: 'tracking.sites.copy', defaultMessage: 'Copy' })}
        </Button>
      </Flex>
    </Box>
  );
};

const AddSite = ({ onAdded }: { onAdded: () => void }) => {
  const { post } = useFetchClient();
  const { formatMessage } = useIntl();
  const [key, setKey] = React.useState('');
  const [origins, setOrigins] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const add = async () => {
    setError(null);
    try {
      await post('/tracking/sites', { key: key.trim(), origins: splitOrigins(origins) });
      setKey('');
      setOrigins('');
      onAdded();
    } catch (e) {
      setError(formatMessage({ id: 'tracking.sites.addFailed', defaultMessage: 'Not added: {message}' }, { message: messageOf(e) }));
    }
  };
  return (
    <Box paddingTop={4}>
      <Typography variant="sigma" tag="h3">
        {formatMessage({ id: 'tracking.sites.addTitle', defaultMessage: 'Add a site' })}
      </Typography>
      <Flex gap={2} paddingTop={2} alignItems="flex-start">
        <Box style={{ width: 220 }}>
          <TextInput
            aria-label={formatMessage({ id: 'tracking.sites.key', defaultMessage: 'Site key' })}
            placeholder="main_shop" value={key} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setKey(e.target.value)} />
        </Box>
        <Box style={{ flex: 1 }}>
          <Textarea
            aria-label={formatMessage({ id: 'tracking.sites.origins', defaultMessage: 'Allowed origins' })}
            placeholder={'https://shop.example.com\nhttps://*.example.com'}
            value={origins}
            onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => setOrigins(e.target.value)}
          />
        </Box>
        <Button onClick={add} disabled={!key.trim()}>
          {formatMessage({ id: 'tracking.sites.add', defaultMessage: 'Add site' })}
        </Button>
      </Flex>
      <Typography variant="pi" textColor="neutral600">
        {formatMessage({
          id: 'tracking.sites.addHint',
          defaultMessage:
            'The key goes in the script tag; only pages on an allowed origin may send with it (* may stand for the first part of the host, as in https://*.example.com, or for a port).',
        })}
      </Typography>
      {error && (
        <Typography tag="p" textColor="danger600" variant="pi" data-testid="moat-add-site-error">
          {error}
        </Typography>
      )}
    </Box>
  );
};

export const Sites = ({ sites, onChanged, canManage }: { sites: Site[] | null; onChanged: () => void; canManage: boolean }) => {
  const { formatMessage } = useIntl();
  return (
    <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius>
      <Typography variant="delta" tag="h2">
        {formatMessage({ id: 'tracking.sites.title', defaultMessage: 'Install' })}
      </Typography>
      {sites && sites.length === 0 && (
        <Typography tag="p">
          {canManage
            ? formatMessage({ id: 'tracking.sites.emptyManage', defaultMessage: 'No sites yet: add one below, then put its script tag on every page of the store.' })
            : formatMessage({ id: 'tracking.sites.empty', defaultMessage: 'No sites yet.' })}
        </Typography>
      )}
      {sites?.map((s) => (
        <SiteRow key={s.key} site={s} onChanged={onChanged} canManage={canManage} />
      ))}
      {canManage && <AddSite onAdded={onChanged} />}
    </Box>
  );
};
