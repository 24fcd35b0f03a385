/** What the admin routes answer (server: services/shops.ts, backfill/jobs.ts, webhooks/store.ts). */
export interface Shop {
  shop: string;
  scopes: string[];
  installedAt: number;
  uninstalledAt: number | null;
  status: 'installed' | 'uninstalled';
}

export interface Progress {
  shop: string;
  resource: 'customers' | 'products' | 'orders';
  status: 'pending' | 'running' | 'done' | 'failed';
  done: number;
  total: number | null;
  error: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
  leased: boolean;
}

export type WebhookStatus = 'received' | 'processed' | 'failed' | 'ignored';

export interface Webhook {
  webhookId: string;
  shop: string;
  topic: string;
  status: WebhookStatus;
  attempts: number;
  error: string | null;
  receivedAt: number;
  processedAt: number | null;
  updatedAt: number;
}
