import { existsSync } from 'node:fs';
import path from 'node:path';
import { secret } from '../src/secrets';

/**
 * Moat's bounded contexts, one local plugin each (see ARCHITECTURE.md). A plugin is enabled
 * when its server source exists, so a half-scaffolded context never blocks the app.
 */
const LOCAL_PLUGINS = ['crm', 'tracking', 'product-content', 'lifecycle-email'] as const;

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
    crm: local('crm'),
    tracking: local('tracking', { demo }),
    'product-content': local('product-content', {
      demo,
      rateLimit: { points: env.int('MOAT_CONTENT_RATE_LIMIT', 300), duration: env.int('MOAT_CONTENT_RATE_WINDOW_S', 60) },
    }),
    'lifecycle-email': local('lifecycle-email', { demo }),
  } satisfies Record<(typeof LOCAL_PLUGINS)[number] | 'i18n' | 'users-permissions', unknown>;
};
