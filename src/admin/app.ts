/**
 * The app's admin panel configuration. Moat's first users are Chinese exporters' teams: the
 * language picker (Profile → Interface language) offers 中文 (简体) beside English. English stays
 * the default for an admin who has not chosen; the choice is kept per admin user
 * (`preferedLanguage`) and in the browser (localStorage `strapi-admin-language`).
 */
export default {
  config: {
    locales: ['zh-Hans'],
  },
  bootstrap() {},
};
