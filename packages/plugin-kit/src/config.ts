/**
 * Plugin configuration helpers for Strapi's `config: { default, validator }`: Strapi merges
 * the host app's `config/plugins` entry over `default` and calls `validator` with the result;
 * what it throws stops the boot with "Error regarding <plugin> config: <message>".
 */

/** what the validator needs of a schema (zod's safeParse; kept structural: no zod dependency here) */
export interface ConfigSchema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string; keys?: string[] }> } };
}

/**
 * A Strapi config validator from a schema: the first problem is thrown with the key it is
 * about (`tracking: config key "rateLimit.ipPoints": ...`). `more` runs checks a schema cannot
 * express (cross-field rules) after the schema passed.
 */
export function configValidator<T>(plugin: string, schema: ConfigSchema, more?: (config: T) => void): (config: T) => void {
  return (config: T) => {
    const result = schema.safeParse(config);
    if (!result.success) {
      const issue = result.error.issues[0];
      const key = [...issue.path, ...(issue.keys?.length ? [issue.keys[0]] : [])].map(String).join('.') || '(root)';
      throw new Error(`${plugin}: config key "${key}": ${issue.message}`);
    }
    more?.(config);
  };
}

/** another Moat plugin this one needs: its id in config/plugins and the package that provides it */
export interface RequiredPlugin {
  id: string;
  pkg: string;
}

/**
 * Fails the boot when a plugin this one needs is not enabled, saying how to add it. Call it
 * from `register` (every enabled plugin is loaded by then).
 */
export function requirePlugins(strapi: { plugin(name: string): unknown }, plugin: string, needs: RequiredPlugin[]): void {
  const missing = needs.filter((need) => !strapi.plugin(need.id));
  if (missing.length === 0) return;
  const list = missing.map((m) => `"${m.id}" (npm install ${m.pkg}, then enable it in config/plugins)`).join(' and ');
  throw new Error(`${plugin}: needs the Moat plugin ${list}`);
}
