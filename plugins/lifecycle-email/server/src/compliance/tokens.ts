import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links in sent mail: u = unsubscribe / preferences, v = view in browser, o = open
 * pixel, c = click (the destination is inside the signed payload, so the redirect can only
 * go where the message linked to — never an open redirect).
 */
export type TokenPurpose = 'u' | 'v' | 'o' | 'c';

export interface TokenPayload {
  p: TokenPurpose;
  /** message log id */
  m: number;
  /** expiry, epoch seconds */
  e: number;
  /** click destination */
  l?: string;
}

export type TokenProblem = 'malformed' | 'forged' | 'expired' | 'wrong_purpose';

export class TokenError extends Error {
  constructor(readonly problem: TokenProblem) {
    super(`email link token is ${problem.replace('_', ' ')}`);
  }
}

/** Longest token accepted (a click URL is at most 2 KB). */
export const MAX_TOKEN_LENGTH = 4096;
const MAC_BYTES = 18;

export function createTokenSigner(secret: string) {
  if (!secret || secret.length < 16) throw new Error('lifecycle-email: the link token secret must be at least 16 characters (MOAT_EMAIL_TOKEN_SECRET or APP_KEYS)');
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest().subarray(0, MAC_BYTES);
  return {
    sign(payload: TokenPayload): string {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    /** @throws TokenError naming what is wrong */
    verify(token: string, purpose: TokenPurpose, nowMs = Date.now()): TokenPayload {
      if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new TokenError('malformed');
      const dot = token.indexOf('.');
      if (dot <= 0) throw new TokenError('malformed');
      const body = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('forged');
      let payload: TokenPayload;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
      } catch {
        throw new TokenError('malformed');
      }
      if (payload.p !== purpose) throw new TokenError('wrong_purpose');
      if (!Number.isFinite(payload.e) || payload.e * 1000 < nowMs) throw new TokenError('expired');
      return payload;
    },
  };
}

export type TokenSigner = ReturnType<typeof createTokenSigner>;
