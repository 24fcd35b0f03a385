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

export default {
  default: {
    timezone: 'UTC',
    engagedSeconds: 10,
    refreshEveryMs: 30_000,
    maxRangeDays: 400,
    digestTo: '',
  } satisfies InsightsConfig,
  validator(config: InsightsConfig) {
    if (!isZone(config.timezone)) throw new Error(`insights.timezone: "${config.timezone}" is not an IANA time zone`);
    if (!(config.engagedSeconds >= 0)) throw new Error('insights.engagedSeconds must be >= 0');
    if (!(config.maxRangeDays >= 1)) throw new Error('insights.maxRangeDays must be >= 1');
  },
};
