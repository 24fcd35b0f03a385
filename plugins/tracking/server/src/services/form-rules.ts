import type { Core } from '@strapi/strapi';
import type { FormRule } from '../schemas/form-rules';
import { PLUGIN_ID } from '../utils/constants';
import { getService } from '../utils/get-service';
import { SiteError } from './sites';

/** The public read is on every WordPress page view: served from memory, re-read this often. */
const CACHE_MS = 30_000;

/**
 * Per-site form rules (selector -> inquiry / contact / newsletter / other / ignore), set in
 * the admin and read by the tracker's platform add-ons on the storefront. Kept in Strapi's
 * core store, one object keyed by site, for configured and admin-managed sites alike.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: 'form-rules' });
  let cache: { at: number; value: Record<string, FormRule[]> } | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const all = async (): Promise<Record<string, FormRule[]>> => {
    if (cache && Date.now() - cache.at < CACHE_MS) return cache.value;
    const value = (await store().get({})) as Record<string, FormRule[]> | null;
    cache = { at: Date.now(), value: value && typeof value === 'object' ? value : {} };
    return cache.value;
  };
  const known = (site: string) => getService(strapi, 'sites').registry().has(site);

  return {
    /** @throws SiteError 404 for a site key that does not exist */
    async get(site: string): Promise<FormRule[]> {
      if (!known(site)) throw new SiteError(404, `there is no site "${site}"`);
      return (await all())[site] ?? [];
    },
    /** Replaces the site's rules. @throws SiteError 404 for an unknown site */
    set(site: string, rules: FormRule[]): Promise<FormRule[]> {
      const run = queue.then(async () => {
        if (!known(site)) throw new SiteError(404, `there is no site "${site}"`);
        cache = null;
        const next = { ...(await all()), [site]: rules };
        await store().set({ value: next });
        cache = { at: Date.now(), value: next };
        return rules;
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
};
