import { formats, winston } from '@strapi/logger';

/** LOG_LEVEL (error, warn, info, http, verbose, debug) — tests run at warn to keep output readable. */
export default {
  transports: [
    new winston.transports.Console({
      level: process.env.LOG_LEVEL ?? 'info',
      format: winston.format.combine(formats.levelFilter(process.env.LOG_LEVEL ?? 'info'), formats.prettyPrint({ timestamps: 'YYYY-MM-DD HH:mm:ss.SSS' })),
    }),
  ],
};
