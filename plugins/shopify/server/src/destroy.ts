import type { Core } from '@strapi/strapi';
import { stopSweeper } from './bootstrap';
import { getService } from './utils/get-service';

/** Timers stop, and backfill runners hand their leases back, before the database closes. */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  stopSweeper();
  await getService(strapi, 'metafields').idle();
  await getService(strapi, 'backfill').stop();
};
