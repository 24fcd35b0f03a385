import { secret } from '../src/secrets';

/**
 * Moat's bounded contexts, one plugin package each (see ARCHITECTURE.md), installed from
 * their built output by package name exactly as in any Strapi app (README, "Add Moat to your
 * Strapi app"). Their defaults read the MOAT_* environment variables; only what this app
 * decides differently is set here.
 */
export default ({ env }) => {
  const demo = env.bool('MOAT_DEMO', env('NODE_ENV', 'development') !== 'production');
  return {
    i18n: { enabled: true },
    'users-permissions': { config: { jwtSecret: secret('JWT_SECRET') } },
    crm: { enabled: true },
    tracking: { enabled: true, config: { demo } },
    'product-content': { enabled: true, config: { demo } },
    'lifecycle-email': { enabled: true },
  };
};
