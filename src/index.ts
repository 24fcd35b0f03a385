import type { Core } from '@strapi/strapi';
import { applyRoleDefaults } from './role-defaults';

/**
 * The Moat app itself adds no features: every capability lives in a plugin
 * (plugins/<context>). Its bootstrap runs after every plugin's and after Strapi's admin, which
 * is when the built-in roles exist and can get the plugins' default permissions.
 */
export default {
  register() {},
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await applyRoleDefaults(strapi);
  },
};
