/**
 * Secrets for config files. Local development must "just work" from a fresh clone, so a
 * missing secret is generated once and kept in .tmp/dev-secrets.json; in production a
 * missing or placeholder secret stops the start with a message that names it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Values from templates and tutorials that must never protect a real deployment. */
const PLACEHOLDER = /^(|tobemodified\d*|changeme|secret|password|example)$/i;

export const SECRET_NAMES = [
  'APP_KEYS',
  'ADMIN_JWT_SECRET',
  'API_TOKEN_SALT',
  'TRANSFER_TOKEN_SALT',
  'ENCRYPTION_KEY',
  'JWT_SECRET',
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

export class MissingSecretError extends Error {
  constructor(name: string) {
    super(
      `Moat refuses to start: the secret ${name} is missing or a placeholder. ` +
        `In production set ${name} in the environment (see README "Configuration"); ` +
        `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    );
    this.name = 'MissingSecretError';
  }
}

/** Unsafe when missing, short, or any comma-separated part (APP_KEYS) is a placeholder. */
function isUnsafe(value: string | undefined): boolean {
  if (value === undefined || value.trim().length < 8) return true;
  return value.split(',').some((part) => PLACEHOLDER.test(part.trim()));
}

function generate(name: SecretName): string {
  const one = () => randomBytes(24).toString('base64');
  return name === 'APP_KEYS' ? [one(), one(), one(), one()].join(',') : one();
}

let devCache: Record<string, string> | undefined;

function devSecrets(appRoot: string): Record<string, string> {
  if (devCache) return devCache;
  const file = join(appRoot, '.tmp', 'dev-secrets.json');
  let stored: Record<string, string> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8'));
  let changed = false;
  for (const name of SECRET_NAMES) {
    if (!stored[name]) {
      stored[name] = generate(name);
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  devCache = stored;
  return stored;
}

/**
 * The value of a secret: from the environment when set and safe; otherwise generated for
 * development, or a MissingSecretError in production.
 */
export function secret(name: SecretName, env: NodeJS.ProcessEnv = process.env, appRoot = process.cwd()): string {
  const value = env[name];
  if (!isUnsafe(value)) return value as string;
  if (env.NODE_ENV === 'production') throw new MissingSecretError(name);
  return devSecrets(appRoot)[name];
}
