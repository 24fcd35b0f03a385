import { parseEngageConfig } from './engage/config';

/** Defaults live in engage/config.ts (arrays there must not be merged index by index with the app's). */
export default {
  default: {},
  validator(config: unknown) {
    parseEngageConfig(config);
  },
};
