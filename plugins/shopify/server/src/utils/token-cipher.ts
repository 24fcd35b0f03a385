import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Access tokens at rest: AES-256-GCM with a key derived (HKDF-SHA256) from the configured key
 * material, a random 96-bit IV per value, and the session id as associated data, so a
 * ciphertext copied onto another session's row does not decrypt.
 */
export class TokenCipher {
  private readonly key: Buffer;

  constructor(material: string) {
    if (!material || material.length < 16) throw new Error('shopify: the token encryption key (MOAT_SHOPIFY_TOKEN_KEY or ENCRYPTION_KEY) must be at least 16 characters');
    this.key = Buffer.from(hkdfSync('sha256', material, 'moat-shopify', 'access-token-v1', 32));
  }

  encrypt(plain: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(sealed: string, aad: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('shopify: stored token has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}
