import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/** Backfill runners stop and hand their leases back before the database closes. */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService(strapi, 'backfill').stop();
};
