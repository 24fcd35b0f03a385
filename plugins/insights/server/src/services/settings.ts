import type { Core } from '@strapi/strapi';
import type { InsightsConfig } from '../config';
import { offsetMs } from '../utils/days';
import { clientOf } from '../utils/sql';
import { PLUGIN_ID } from '../utils/constants';

/** The plugin's configuration and the database dialect, read once per call. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  get() {
    const cfg = strapi.config.get(`plugin::${PLUGIN_ID}`) as InsightsConfig;
    return {
      ...cfg,
      offset: offsetMs(cfg.timezone),
      engagedMs: cfg.engagedSeconds * 1000,
      client: clientOf(strapi.db.connection),
    };
  },
});
