import type { Core } from '@strapi/strapi';
import { SiteRegistry } from '../collect/sites';
import type { SiteConfig } from '../config';
import { PLUGIN_ID } from '../utils/constants';

export interface Site extends SiteConfig {
  /** config: MOAT_SITES / config/plugins.ts (read-only here); admin: added on the Tracking page */
  managedBy: 'config' | 'admin';
}

export class SiteError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** How often an instance re-reads the sites another instance's admin may have changed. */
const REFRESH_MS = 30_000;

/**
 * Site keys and their allowed origins: those of the configuration plus those a store owner
 * adds in the admin (kept in Strapi's core store). Collect checks every request against
 * `registry()`, an in-memory matcher rebuilt on each change, so the hot path never queries.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => {
  // normalized to a list in register
  const configured = () => strapi.plugin(PLUGIN_ID).config('sites') as SiteConfig[];
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID, key: 'sites' });
  let managed: SiteConfig[] = [];
  let registry: SiteRegistry | null = null;
  let timer: NodeJS.Timeout | null = null;
  /** changes run one after another: each reads the store, then writes it back */
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(change: () => Promise<T>): Promise<T> => {
    const run = queue.then(change, change);
    queue = run.catch(() => undefined);
    return run;
  };

  const rebuild = () => {
    registry = new SiteRegistry([...configured(), ...managed]);
  };
  const load = async () => {
    const value = await store().get({});
    managed = Array.isArray(value) ? (value as SiteConfig[]) : [];
    rebuild();
  };
  const save = async (next: SiteConfig[]) => {
    await store().set({ value: next });
    managed = next;
    rebuild();
  };
  const isConfigured = (key: string) => configured().some((s) => s.key === key);
  /** the admin-managed site `key`, read fresh; refuses configured and unknown keys */
  const editable = async (key: string) => {
    await load();
    if (isConfigured(key)) throw new SiteError(409, `site "${key}" is set in the configuration (MOAT_SITES); change it there`);
    if (!managed.some((s) => s.key === key)) throw new SiteError(404, `there is no site "${key}"`);
  };

  return {
    async start() {
      await load();
      timer ??= setInterval(() => load().catch((e: Error) => strapi.log.warn(`[tracking] reloading sites failed: ${e.message}`)), REFRESH_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    /** the matcher collect uses; configuration only until start() has read the store */
    registry(): SiteRegistry {
      if (!registry) rebuild();
      return registry as SiteRegistry;
    },
    list(): Site[] {
      return [...configured().map((s) => ({ ...s, managedBy: 'config' as const })), ...managed.map((s) => ({ ...s, managedBy: 'admin' as const }))];
    },
    create(site: SiteConfig): Promise<Site> {
      return serially(async () => {
        await load();
        if (isConfigured(site.key) || managed.some((s) => s.key === site.key)) throw new SiteError(409, `site key "${site.key}" is already in use`);
        await save([...managed, { key: site.key, origins: site.origins }]);
        return { ...site, managedBy: 'admin' as const };
      });
    },
    update(key: string, origins: string[]): Promise<Site> {
      return serially(async () => {
        await editable(key);
        await save(managed.map((s) => (s.key === key ? { key, origins } : s)));
        return { key, origins, managedBy: 'admin' as const };
      });
    },
    remove(key: string): Promise<void> {
      return serially(async () => {
        await editable(key);
        await save(managed.filter((s) => s.key !== key));
      });
    },
  };
};
