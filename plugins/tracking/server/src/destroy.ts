import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

/** Shutdown: everything already accepted reaches the database before the process exits. */
export default async ({ strapi }: { strapi: Core.Strapi }) => {
  getService(strapi, 'sites').stop();
  await getService(strapi, 'collector').close();
  await getService(strapi, 'rate-limits').close();
};
