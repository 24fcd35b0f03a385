import type { JobProgress } from '../backfill/jobs';

export interface AppHomeView {
  apiKey: string;
  shop: string | null;
  connection: 'installed' | 'uninstalled' | 'unknown' | 'not-verified';
  progress: JobProgress[];
  adminUrl: string;
  statusUrl: string;
  nonce: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const CONNECTION: Record<AppHomeView['connection'], string> = {
  installed: 'Connected: Moat receives this store’s customers, orders and products.',
  uninstalled: 'Disconnected: the app was uninstalled from this store.',
  unknown: 'Not connected yet: finish installing the app.',
  'not-verified': 'Open this page from your Shopify admin to see your store’s status.',
};

const percent = (p: JobProgress) => (p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : p.status === 'done' ? 100 : 0);

function progressRows(progress: JobProgress[]): string {
  if (!progress.length) return '<tr><td colspan="3">No import has run yet.</td></tr>';
  return progress
    .map(
      (p) =>
        `<tr data-resource="${escapeHtml(p.resource)}"><td>${escapeHtml(p.resource)}</td><td data-field="status">${escapeHtml(p.status)}${p.error ? ` — ${escapeHtml(p.error)}` : ''}</td>` +
        `<td data-field="count"><progress max="100" value="${percent(p)}"></progress> ${p.done}${p.total != null ? ` / ${p.total}` : ''}</td></tr>`,
    )
    .join('');
}

/**
 * The embedded app's home inside Shopify admin. Everything it shows is rendered here on the
 * server, so it reads fine when App Bridge (Shopify's CDN) cannot load; when App Bridge is
 * there, a small script refreshes the progress with a session token.
 */
export function renderAppHome(view: AppHomeView): string {
  const script = `
(function () {
  var url = ${JSON.stringify(view.statusUrl)};
  function render(data) {
    (data.backfill || []).forEach(function (p) {
      var row = document.querySelector('tr[data-resource="' + p.resource + '"]');
      if (!row) return;
      row.querySelector('[data-field="status"]').textContent = p.status + (p.error ? ' — ' + p.error : '');
      var pct = p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : (p.status === 'done' ? 100 : 0);
      row.querySelector('[data-field="count"]').innerHTML = '<progress max="100" value="' + pct + '"></progress> ' + p.done + (p.total != null ? ' / ' + p.total : '');
    });
  }
  function refresh() {
    if (!window.shopify || typeof window.shopify.idToken !== 'function') return;
    window.shopify.idToken().then(function (token) {
      return fetch(url, { headers: { Authorization: 'Bearer ' + token } });
    }).then(function (res) { return res.ok ? res.json() : null; }).then(function (body) {
      if (body && body.data) render(body.data);
    }).catch(function () {});
  }
  refresh();
  setInterval(refresh, 5000);
})();`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="shopify-api-key" content="${escapeHtml(view.apiKey)}">
<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>
<title>Moat</title>
<style nonce="${view.nonce}">
body{font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,sans-serif;margin:0;padding:24px;color:#303030;background:#f1f1f1}
main{max-width:720px;margin:0 auto;background:#fff;border-radius:12px;padding:20px 24px}
h1{font-size:20px;margin:0 0 12px}table{width:100%;border-collapse:collapse}td,th{text-align:left;padding:6px 4px;border-bottom:1px solid #eee}
.status{padding:8px 12px;border-radius:8px;background:#f6f6f7}.status.installed{background:#e3f1df}
</style>
</head>
<body>
<main>
<h1>Moat</h1>
<p class="status ${view.connection}" id="connection" data-connection="${view.connection}">${escapeHtml(CONNECTION[view.connection])}${view.shop ? ` <strong>${escapeHtml(view.shop)}</strong>` : ''}</p>
<h2>Import of existing data</h2>
<table id="backfill"><thead><tr><th>Data</th><th>Status</th><th>Imported</th></tr></thead><tbody>${progressRows(view.progress)}</tbody></table>
<p><a href="${escapeHtml(view.adminUrl)}" target="_blank" rel="noopener">Open the Moat admin</a></p>
</main>
<script nonce="${view.nonce}">${script}</script>
</body>
</html>`;
}
