import { secret } from '../src/secrets';

export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // behind a load balancer / CDN: trust X-Forwarded-For so rate limits and country see the visitor
  proxy: { koa: env.bool('IS_PROXIED', false) },
  app: { keys: secret('APP_KEYS').split(',') },
  logger: { updates: { enabled: false }, startup: { enabled: env.bool('LOG_STARTUP', true) } },
});
