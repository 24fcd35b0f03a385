import type { Core } from '@strapi/strapi';
import { getService } from './utils/get-service';

export default async ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = strapi.db.connection;
  if (!(await knex.schema.hasTable('moat_touchpoints'))) {
    throw new Error('tracking: table moat_touchpoints is missing; the app must ship database/migrations/*touchpoints.js');
  }
  await getService(strapi, 'sites').start();
  await getService(strapi, 'rate-limits').start();
  getService(strapi, 'collector').start();
};
