import { secret } from '../src/secrets';

export default () => ({
  auth: { secret: secret('ADMIN_JWT_SECRET') },
  apiToken: { salt: secret('API_TOKEN_SALT') },
  transfer: { token: { salt: secret('TRANSFER_TOKEN_SALT') } },
  secrets: { encryptionKey: secret('ENCRYPTION_KEY') },
  flags: { nps: false, promoteEE: false },
  // strapi develop watches the whole app; plugin sources are rebuilt by their own watchers.
  watchIgnoreFiles: ['**/plugins/*/admin/**', '**/plugins/*/server/**', '**/plugins/*/tracker/**', '**/bench/**', '**/tests/**', '**/templates/**'],
});
