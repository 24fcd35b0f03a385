import type { SiteConfig } from '../config';

/**
 * One allowed origin as a matcher: a `*` in the port stands for digits only (1-5 of them),
 * a `*` in the host for one or more characters of one label.
 */
export function originPattern(origin: string): RegExp {
  const escaped = origin.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  const port = /:\*$/.test(escaped) ? escaped.slice(0, -2) : null;
  const host = (port ?? escaped).replace(/\*/g, '[a-z0-9-]+');
  return new RegExp(`^${host}${port !== null ? ':[0-9]{1,5}' : ''}$`);
}

/** Site key -> origin matchers. `*` in an allowed origin matches one host label or a port. */
export class SiteRegistry {
  private sites = new Map<string, RegExp[]>();

  constructor(sites: SiteConfig[]) {
    for (const site of sites) this.add(site);
  }

  add(site: SiteConfig) {
    const patterns = site.origins.map(originPattern);
    this.sites.set(site.key, [...(this.sites.get(site.key) ?? []), ...patterns]);
  }

  has(key: string) {
    return this.sites.has(key);
  }

  /** Whether any site allows this origin: only such an origin is echoed in CORS headers. */
  allowsAny(origin: string) {
    const lower = origin.toLowerCase();
    for (const patterns of this.sites.values()) if (patterns.some((p) => p.test(lower))) return true;
    return false;
  }

  allows(key: string, origin: string) {
    const patterns = this.sites.get(key);
    return !!patterns && patterns.some((p) => p.test(origin.toLowerCase()));
  }
}
