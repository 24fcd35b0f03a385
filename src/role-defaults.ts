import type { Core } from '@strapi/strapi';

/**
 * Gives Strapi's built-in Editor and Author roles the admin actions Moat's plugins declare as
 * their defaults (each plugin's server/src/permissions.ts, exposed by its `permissions` service).
 *
 * Runs from the app's bootstrap: Strapi's admin creates the built-in roles, gives Super Admin
 * every registered action and deletes permissions of unknown actions in its own bootstrap,
 * which runs after every plugin's, so a plugin's bootstrap registers its actions and this gives
 * the defaults afterwards.
 *
 * Once per action and role: what was given is recorded in the plugin's store and never given
 * again, so an admin who takes a default away from a role keeps it away across restarts, and a
 * default added in a later release is still given once.
 */
type RoleDefaults = Record<string, string[]>;
interface PluginPermissions {
  roleDefaults(): RoleDefaults;
  /** content types whose Content Manager permissions a role loses once (personal data) */
  roleRemovals?(): Record<string, string[]>;
  /** roles the plugin creates once (e.g. the CRM's Sales role) */
  roles?(): ReadonlyArray<PluginRole>;
}
interface PluginRole {
  code: string;
  name: string;
  description: string;
  actions: readonly string[];
}

export async function applyRoleDefaults(strapi: Core.Strapi): Promise<void> {
  for (const pluginName of Object.keys(strapi.plugins)) {
    const service = strapi.plugin(pluginName).service('permissions') as Partial<PluginPermissions> | undefined;
    if (typeof service?.roleDefaults !== 'function') continue;
    const store = strapi.store({ type: 'plugin', name: pluginName, key: 'role-defaults-given' });
    const given = ((await store.get({})) as RoleDefaults | null) ?? {};
    let changed = false;
    for (const [code, actions] of Object.entries(service.roleDefaults())) {
      const done = new Set(given[code] ?? []);
      const todo = actions.filter((action) => !done.has(action));
      if (todo.length === 0) continue;
      const role = await strapi.db.query('admin::role').findOne({ where: { code }, select: ['id'] });
      if (!role) continue; // a built-in role an admin deleted: nothing to give, nothing to record
      const added = await addMissing(strapi, role.id, todo);
      if (added.length > 0) strapi.log.info(`role defaults: ${code} gets ${added.join(', ')}`);
      given[code] = [...done, ...todo];
      changed = true;
    }
    if (changed) await store.set({ value: given });
    if (typeof service.roleRemovals === 'function') await applyRemovals(strapi, pluginName, service.roleRemovals());
    if (typeof service.roles === 'function') await createRolesOnce(strapi, pluginName, service.roles());
  }
}

/**
 * Creates each role the first time the plugin starts, with its actions, and records it: an
 * admin's later changes (actions taken away, the role renamed or deleted) stick across restarts.
 * A role with the same code that already exists (made by hand) is left as it is.
 */
async function createRolesOnce(strapi: Core.Strapi, pluginName: string, roles: ReadonlyArray<PluginRole>): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: pluginName, key: 'roles-created' });
  const created = ((await store.get({})) as string[] | null) ?? [];
  const todo = roles.filter((role) => !created.includes(role.code));
  if (todo.length === 0) return;
  for (const role of todo) {
    const existing = await strapi.db.query('admin::role').findOne({ where: { code: role.code }, select: ['id'] });
    if (!existing) {
      const made = await strapi.db.query('admin::role').create({ data: { name: role.name, code: role.code, description: role.description } });
      await addMissing(strapi, made.id, [...role.actions]);
      strapi.log.info(`roles: created ${role.name} (${role.code}) with ${role.actions.join(', ')}`);
    }
  }
  await store.set({ value: [...created, ...todo.map((role) => role.code)] });
}

/** Takes Content Manager access to the listed content types from each role, once per role and type. */
async function applyRemovals(strapi: Core.Strapi, pluginName: string, removals: Record<string, string[]>): Promise<void> {
  const store = strapi.store({ type: 'plugin', name: pluginName, key: 'role-removals-done' });
  const done = ((await store.get({})) as RoleDefaults | null) ?? {};
  let changed = false;
  for (const [code, subjects] of Object.entries(removals)) {
    const todo = subjects.filter((subject) => !(done[code] ?? []).includes(subject));
    if (todo.length === 0) continue;
    const role = await strapi.db.query('admin::role').findOne({ where: { code }, select: ['id'] });
    if (!role) continue;
    const held = await strapi.db.query('admin::permission').findMany({
      where: { role: { id: role.id }, subject: { $in: todo }, action: { $startsWith: 'plugin::content-manager.' } },
      select: ['id'],
    });
    if (held.length > 0) {
      await strapi.service('admin::permission').deleteByIds(held.map((p: { id: number }) => p.id));
      strapi.log.info(`role defaults: ${code} no longer reads ${todo.join(', ')} in the Content Manager`);
    }
    done[code] = [...(done[code] ?? []), ...todo];
    changed = true;
  }
  if (changed) await store.set({ value: done });
}

/** adds the actions the role does not hold yet (an admin may have granted some already); returns them */
async function addMissing(strapi: Core.Strapi, roleId: number, actions: string[]): Promise<string[]> {
  const held = await strapi.db.query('admin::permission').findMany({ where: { role: { id: roleId }, action: { $in: actions } }, select: ['action'] });
  const heldActions = new Set(held.map((p: { action: string }) => p.action));
  const missing = actions.filter((action) => !heldActions.has(action));
  if (missing.length > 0) {
    await strapi.service('admin::role').addPermissions(
      roleId,
      missing.map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
    );
  }
  return missing;
}
