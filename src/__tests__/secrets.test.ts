import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MissingSecretError, secret } from '../secrets';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 's-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('secret()', () => {
  it('uses a safe value from the environment as is', () => {
    expect(secret('ADMIN_JWT_SECRET', { ADMIN_JWT_SECRET: 'a-long-enough-secret' }, tempDir())).toBe('a-long-enough-secret');
  });

  it('refuses to start in production when a secret is missing or a placeholder, naming it', () => {
    const dir = tempDir();
    expect(() => secret('APP_KEYS', { NODE_ENV: 'production' }, dir)).toThrow(MissingSecretError);
    expect(() => secret('API_TOKEN_SALT', { NODE_ENV: 'production', API_TOKEN_SALT: 'tobemodified' }, dir)).toThrow(/API_TOKEN_SALT/);
    expect(existsSync(join(dir, '.tmp', 'dev-secrets.json'))).toBe(false);
  });
});

describe('secret() in development', () => {
  it('generates missing secrets once and keeps them across calls', () => {
    const dir = tempDir();
    const keys = secret('APP_KEYS', { NODE_ENV: 'development' }, dir);
    expect(keys.split(',')).toHaveLength(4);
    const stored = JSON.parse(readFileSync(join(dir, '.tmp', 'dev-secrets.json'), 'utf8'));
    expect(stored.APP_KEYS).toBe(keys);
    expect(secret('APP_KEYS', { NODE_ENV: 'development' }, dir)).toBe(keys);
  });
});
