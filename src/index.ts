/**
 * The Moat app itself adds nothing of its own: every capability lives in a plugin
 * (plugins/<context>). This file stays as Strapi's app entry point.
 */
export default {
  register() {},
  bootstrap() {},
};
