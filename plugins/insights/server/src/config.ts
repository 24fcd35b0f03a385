export interface InsightsConfig {
  /** the shop's IANA time zone: days, months and date ranges are counted in it */
  timezone: string;
  /** a visitor "interacts" after this much engaged time on a page (engagement.engaged_ms) */
  engagedSeconds: number;
  /** how often the rollup job folds new touchpoints into the daily rollups (0: only on read) */
  refreshEveryMs: number;
  /** longest date range one query may cover */
  maxRangeDays: number;
  /** weekly digest: admin addresses ('' = off) */
  digestTo: string;
}

const isZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** Strapi's `env` helper, as handed to a plugin's config default */
type Env = ((key: string, fallback?: string) => string) & { int(key: string, fallback?: number): number };

export default {
  // a host app that sets nothing gets these, read from the MOAT_* variables (README, "Add Moat to your Strapi app")
  default: ({ env }: { env: Env }): InsightsConfig => ({
    timezone: env('MOAT_SHOP_TIMEZONE', 'UTC'),
    engagedSeconds: env.int('MOAT_INSIGHTS_ENGAGED_S', 10),
    refreshEveryMs: env.int('MOAT_INSIGHTS_REFRESH_MS', 30_000),
    maxRangeDays: 400,
    // weekly digest to these admin addresses (comma-separated; empty: no digest)
    digestTo: env('MOAT_INSIGHTS_DIGEST_TO', ''),
  }),
  validator(config: InsightsConfig) {
    if (!isZone(config.timezone)) throw new Error(`insights.timezone: "${config.timezone}" is not an IANA time zone`);
    if (!(config.engagedSeconds >= 0)) throw new Error('insights.engagedSeconds must be >= 0');
    if (!(config.maxRangeDays >= 1)) throw new Error('insights.maxRangeDays must be >= 1');
  },
};
