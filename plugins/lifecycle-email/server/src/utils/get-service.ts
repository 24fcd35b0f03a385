import type { Core } from '@strapi/strapi';
import type services from '../services';
import { PLUGIN_ID } from './constants';

type Services = typeof services;
export type ServiceOf<N extends keyof Services> = ReturnType<Services[N]>;

/** Typed access to this plugin's services. */
export function getService<N extends keyof Services>(strapi: Core.Strapi, name: N): ServiceOf<N> {
  return strapi.plugin(PLUGIN_ID).service(name) as ServiceOf<N>;
}
