import { ROLE_DEFAULTS } from '../permissions';

/** This plugin's built-in role defaults, for the app's bootstrap (src/role-defaults.ts). */
export default () => ({
  roleDefaults: () => ROLE_DEFAULTS,
});
