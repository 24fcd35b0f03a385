import { SITE_KEY } from '../config';

/** A store's webhook secret, by the site name in its delivery URL (`/api/tracking/v1/woocommerce/<site>`). */
export type WooSecrets = Record<string, string>;

/** Shorter secrets are refused at boot: anyone who guesses one can put orders on any timeline. */
export const MIN_SECRET_LENGTH = 16;

/**
 * `MOAT_WOOCOMMERCE_SECRETS` format: `site=secret;site2=secret2`. Split on the first `=` only,
 * so base64 secrets (with `=` padding) survive; a secret cannot contain `;` or whitespace.
 */
export function parseWooSecrets(value: string): Array<{ site: string; secret: string }> {
  return value
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=');
      return at === -1 ? { site: part, secret: '' } : { site: part.slice(0, at).trim(), secret: part.slice(at + 1).trim() };
    });
}

/** The secrets by site; throws naming the first bad entry (never the secret itself). */
export function wooSecretsOf(value: WooSecrets | string): Map<string, string> {
  const entries = typeof value === 'string' ? parseWooSecrets(value) : Object.entries(value).map(([site, secret]) => ({ site, secret }));
  const out = new Map<string, string>();
  for (const { site, secret } of entries) {
    if (!SITE_KEY.test(site)) throw new Error(`tracking: WooCommerce site "${site.slice(0, 80)}" (MOAT_WOOCOMMERCE_SECRETS) must be 4-64 letters, digits, "-" or "_"`);
    if (out.has(site)) throw new Error(`tracking: WooCommerce site "${site}" is listed twice in MOAT_WOOCOMMERCE_SECRETS`);
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || /\s/.test(secret)) {
      throw new Error(
        `tracking: the WooCommerce secret of site "${site}" must be at least ${MIN_SECRET_LENGTH} characters without spaces (generate one with: openssl rand -hex 32)`,
      );
    }
    out.set(site, secret);
  }
  return out;
}
