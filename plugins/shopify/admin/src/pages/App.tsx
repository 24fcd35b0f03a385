/**
 * "Shopify" for the team running the app: the connected shops (domain, installed at, status,
 * scopes), each shop's import of existing data with its progress (polled while it runs) and a
 * "Start backfill" action, and the recent webhooks with their status, errors and retries.
 * Each section shows only with its permission; the server checks every call again.
 */
import { Badge, Box, Flex, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import * as React from 'react';
import { useIntl } from 'react-intl';
import { BackfillPanel } from '../components/BackfillPanel';
import { WebhookTable } from '../components/WebhookTable';
import { messageOf } from '../utils/errors';
import { PERMISSIONS, useCan } from '../utils/permissions';
import type { Progress, Shop, Webhook, WebhookStatus } from '../utils/types';

/** while a backfill runs or a webhook waits, the page refreshes this often */
const POLL_MS = 1_500;

const App = () => {
  const { get, post } = useFetchClient();
  const { formatMessage, formatDate } = useIntl();
  const canShops = useCan('shopsRead');
  const canBackfill = useCan('backfillRead');
  const canRun = useCan('backfillRun');
  const canWebhooks = useCan('webhooksRead');
  const canRetry = useCan('webhooksRetry');
  const [shops, setShops] = React.useState<Shop[] | null>(null);
  const [progress, setProgress] = React.useState<Progress[]>([]);
  const [webhooks, setWebhooks] = React.useState<{ data: Webhook[]; counts: Record<WebhookStatus, number> } | null>(null);
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState<string | null>(null);
  const [statusFilter, setStatusFilter] = React.useState<WebhookStatus | null>(null);

  // permissions arrive one by one and each starts a load: an answer older than one already
  // shown is dropped (a load started before shops.read was known would blank the list)
  const latest = React.useRef(0);
  const shown = React.useRef(0);
  const load = React.useCallback(async () => {
    const mine = ++latest.current;
    try {
      const [s, p, w] = await Promise.all([
        canShops ? get<{ data: Shop[] }>('/shopify/shops').then((r) => r.data.data) : null,
        canBackfill ? get<{ data: Progress[] }>('/shopify/backfill').then((r) => r.data.data) : [],
        canWebhooks ? get<{ data: Webhook[]; meta: { counts: Record<WebhookStatus, number> } }>(`/shopify/webhooks?limit=50${statusFilter ? `&status=${statusFilter}` : ''}`).then((r) => ({ data: r.data.data, counts: r.data.meta.counts })) : null,
      ]);
      if (mine < shown.current) return;
      shown.current = mine;
      setShops(s);
      setProgress(p);
      setWebhooks(w);
      setError(null);
    } catch (e) {
      if (mine >= shown.current) setError(messageOf(e));
    }
  }, [get, canShops, canBackfill, canWebhooks, statusFilter]);
  React.useEffect(() => {
    void load();
  }, [load]);

  const active = progress.some((p) => p.status === 'running' || p.status === 'pending') || (webhooks?.data.some((w) => w.status === 'received') ?? false);
  React.useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [active, load]);

  const act = async (key: string, call: () => Promise<unknown>) => {
    setBusy(key);
    try {
      await call();
      await load();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  // without shops.read the backfill still lists the shops it has rows for
  const shopList: Array<Pick<Shop, 'shop'> & Partial<Shop>> = shops ?? [...new Set(progress.map((p) => p.shop))].map((shop) => ({ shop }));

  return (
    <Page.Protect permissions={[...PERMISSIONS.shopsRead, ...PERMISSIONS.backfillRead, ...PERMISSIONS.webhooksRead]}>
      <Page.Main>
        <Layouts.Header
          title={formatMessage({ id: 'shopify.page.title', defaultMessage: 'Shopify' })}
          subtitle={formatMessage({ id: 'shopify.page.subtitle', defaultMessage: 'Connected shops, the import of their existing data, and the webhooks Shopify sends' })}
        />
        <Layouts.Content>
          <Flex direction="column" alignItems="stretch" gap={6}>
            {error && (
              <Typography textColor="danger600" data-testid="shopify-error">
                {formatMessage({ id: 'shopify.error', defaultMessage: 'Could not load: {message}' }, { message: error })}
              </Typography>
            )}
            {(canShops || canBackfill) && (
              <Box background="neutral0" padding={4} shadow="tableShadow" hasRadius data-testid="shopify-shops">
                <Typography variant="delta" tag="h2">
                  {formatMessage({ id: 'shopify.shops.title', defaultMessage: 'Connected shops' })}
                </Typography>
                {shopList.length === 0 && (
                  <Box paddingTop={3}>
                    <Typography textColor="neutral600">{formatMessage({ id: 'shopify.shops.empty', defaultMessage: 'No shop has installed the app yet.' })}</Typography>
                  </Box>
                )}
                {shopList.map((s) => (
                  <Box key={s.shop} paddingTop={4} paddingBottom={4} borderColor="neutral150" borderStyle="solid" borderWidth="0 0 1px 0" data-testid="shopify-shop" data-shop={s.shop}>
                    <Flex gap={3} alignItems="center" wrap="wrap">
                      <Typography fontWeight="bold">{s.shop}</Typography>
                      {s.status && (
                        <Badge backgroundColor={s.status === 'installed' ? 'success100' : 'neutral150'} textColor={s.status === 'installed' ? 'success700' : 'neutral700'}>
                          {formatMessage({ id: `shopify.shops.status.${s.status}`, defaultMessage: s.status })}
                        </Badge>
                      )}
                      {s.installedAt && (
                        <Typography variant="pi" textColor="neutral600">
                          {formatMessage({ id: 'shopify.shops.installedAt', defaultMessage: 'Installed {date}' }, { date: formatDate(s.installedAt, { dateStyle: 'medium', timeStyle: 'short' }) })}
                        </Typography>
                      )}
                    </Flex>
                    {s.scopes && (
                      <Typography variant="pi" textColor="neutral600" tag="p">
                        {formatMessage({ id: 'shopify.shops.scopes', defaultMessage: 'Scopes: {scopes}' }, { scopes: s.scopes.join(', ') || '–' })}
                      </Typography>
                    )}
                    {canBackfill && (
                      <BackfillPanel
                        shop={s.shop}
                        rows={progress.filter((p) => p.shop === s.shop)}
                        canRun={canRun}
                        installed={s.status !== 'uninstalled'}
                        starting={busy === `backfill:${s.shop}`}
                        onStart={() => act(`backfill:${s.shop}`, () => post('/shopify/backfill', { shop: s.shop }))}
                      />
                    )}
                  </Box>
                ))}
              </Box>
            )}
            {canWebhooks && webhooks && (
              <WebhookTable
                rows={webhooks.data}
                counts={webhooks.counts}
                filter={statusFilter}
                onFilter={setStatusFilter}
                canRetry={canRetry}
                retrying={busy?.startsWith('retry:') ? busy.slice(6) : null}
                onRetry={(id) => act(`retry:${id}`, () => post(`/shopify/webhooks/${encodeURIComponent(id)}/retry`, {}))}
              />
            )}
          </Flex>
        </Layouts.Content>
      </Page.Main>
    </Page.Protect>
  );
};

export default App;
