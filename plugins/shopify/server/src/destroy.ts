import type { Core } from '@strapi/strapi';
import { stopSweeper } from './bootstrap';
import { getService } from './utils/get-service';

/** Timers stop, backfill runners hand their leases back and webhook workers finish their jobs, before the database closes. */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  stopSweeper();
  await getService(strapi, 'metafields').idle();
  await getService(strapi, 'backfill').stop();
  await getService(strapi, 'webhooks').stop();
};
