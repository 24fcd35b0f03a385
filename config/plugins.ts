import { existsSync } from 'node:fs';
import path from 'node:path';
import { secret } from '../src/secrets';

/**
 * Moat's bounded contexts, one plugin package each (see ARCHITECTURE.md), installed from
 * their built output by package name exactly as in any Strapi app (README, "Add Moat to your
 * Strapi app"). Their defaults read the MOAT_* environment variables; only what this app
 * decides differently is set here. Plugins not yet converted to packages
 * (docs/plugin-package.md) are still loaded from their folder with `local()`.
 */
const local = (name: string, config: Record<string, unknown> = {}) => ({
  enabled: existsSync(path.join(process.cwd(), 'plugins', name, 'server', 'src', 'index.ts')),
  resolve: `./plugins/${name}`,
  config,
});

export default ({ env }) => {
  const demo = env.bool('MOAT_DEMO', env('NODE_ENV', 'development') !== 'production');
  return {
    i18n: { enabled: true },
    'users-permissions': { config: { jwtSecret: secret('JWT_SECRET') } },
    crm: { enabled: true },
    tracking: { enabled: true, config: { demo } },
    'product-content': { enabled: true, config: { demo } },
    'lifecycle-email': { enabled: true },
    insights: local('insights', {
      // days, months and date ranges of the dashboard are the shop's (IANA zone)
      timezone: env('MOAT_SHOP_TIMEZONE', 'UTC'),
      engagedSeconds: env.int('MOAT_INSIGHTS_ENGAGED_S', 10),
      refreshEveryMs: env.int('MOAT_INSIGHTS_REFRESH_MS', 30_000),
      // weekly digest to these admin addresses (comma-separated; empty: no digest)
      digestTo: env('MOAT_INSIGHTS_DIGEST_TO', ''),
    }),
  };
};
