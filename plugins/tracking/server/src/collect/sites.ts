import type { SiteConfig } from '../config';

/** Site key -> origin matchers. `*` in an allowed origin matches one host label or a port. */
export class SiteRegistry {
  private sites = new Map<string, RegExp[]>();

  constructor(sites: SiteConfig[]) {
    for (const site of sites) this.add(site);
  }

  add(site: SiteConfig) {
    const patterns = site.origins.map(
      (origin) => new RegExp(`^${origin.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[a-z0-9-]*')}$`),
    );
    this.sites.set(site.key, [...(this.sites.get(site.key) ?? []), ...patterns]);
  }

  has(key: string) {
    return this.sites.has(key);
  }

  allows(key: string, origin: string) {
    const patterns = this.sites.get(key);
    return !!patterns && patterns.some((p) => p.test(origin.toLowerCase()));
  }
}
