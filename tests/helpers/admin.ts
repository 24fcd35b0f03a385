/**
 * The Strapi admin panel for browser tests: a build that is redone only when its inputs
 * change, a super admin per test file, and a login through the real form.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Page } from 'playwright-core';
import type supertest from 'supertest';

const APP_DIR = join(__dirname, '..', '..');
const BUILD_DIR = join(APP_DIR, 'dist', 'build');
const STAMP = join(BUILD_DIR, '.moat-admin-stamp');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Hash of everything the admin bundle is built from (lockfile, app and plugin admin code). */
function adminInputsHash(): string {
  const hash = createHash('sha1');
  const inputs = [
    join(APP_DIR, 'package-lock.json'),
    ...filesUnder(join(APP_DIR, 'src', 'admin')),
    ...readdirSync(join(APP_DIR, 'plugins')).flatMap((p) => [join(APP_DIR, 'plugins', p, 'package.json'), ...filesUnder(join(APP_DIR, 'plugins', p, 'admin'))]),
  ].filter((f) => existsSync(f) && statSync(f).isFile());
  for (const file of inputs.sort()) hash.update(relative(APP_DIR, file)).update(readFileSync(file));
  return hash.digest('hex');
}

/** Builds the admin panel (`strapi build`, ~30-60 s) unless the last build had the same inputs. */
export function ensureAdminBuild(): void {
  const hash = adminInputsHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return;
  const started = Date.now();
  execFileSync(join(APP_DIR, 'node_modules', '.bin', 'strapi'), ['build'], { stdio: 'inherit', cwd: APP_DIR });
  writeFileSync(STAMP, hash);
  console.log(`admin panel built in ${Date.now() - started} ms`);
}

export interface AdminCredentials {
  email: string;
  password: string;
}

/** a built-in role, by its code */
export type BuiltInRole = 'strapi-super-admin' | 'strapi-editor' | 'strapi-author';

/** Creates an active admin with a unique email in one of the built-in roles. */
export async function createAdminWithRole(strapi: Core.Strapi, code: BuiltInRole): Promise<AdminCredentials> {
  const role = await strapi.db.query('admin::role').findOne({ where: { code } });
  if (!role) throw new Error(`no admin role ${code}`);
  return createAdminInRole(strapi, role.id, code.replace('strapi-', ''));
}

/** Creates a role holding exactly these plugin actions (no subject), e.g. a read-only tracking viewer. */
export async function createRoleWithActions(strapi: Core.Strapi, name: string, actions: string[]): Promise<number> {
  const role = await strapi.service('admin::role').create({ name: `${name} ${randomUUID().slice(0, 6)}`, description: name });
  await strapi.service('admin::role').addPermissions(
    role.id,
    actions.map((action) => ({ action, subject: null, properties: {}, conditions: [] })),
  );
  return role.id;
}

/** Creates an active admin with a unique email in the role with this id. */
export async function createAdminInRole(strapi: Core.Strapi, roleId: number, label = 'admin'): Promise<AdminCredentials> {
  const email = `${label}-${randomUUID().slice(0, 8)}@moat.test`;
  const password = `Moat-${randomUUID().slice(0, 12)}A1`;
  await strapi.service('admin::user').create({ email, firstname: 'Test', lastname: label, password, isActive: true, roles: [roleId], registrationToken: null });
  return { email, password };
}

/**
 * Lets a role's Content Manager permissions on a localized content type reach these locales, as
 * an admin ticks them in the role editor: Strapi's built-in Editor and Author roles start with
 * no locale of any localized type.
 */
export async function grantLocales(strapi: Core.Strapi, code: BuiltInRole, subject: string, locales: string[]): Promise<void> {
  const role = await strapi.db.query('admin::role').findOne({ where: { code } });
  const permissions = await strapi.db.query('admin::permission').findMany({ where: { role: { id: role.id }, subject } });
  for (const p of permissions) {
    await strapi.db.query('admin::permission').update({ where: { id: p.id }, data: { properties: { ...p.properties, locales } } });
  }
}

/** Creates an active super admin with a unique email. */
export const createSuperAdmin = (strapi: Core.Strapi) => createAdminWithRole(strapi, 'strapi-super-admin');

/** An admin API token (JWT) for these credentials, through the real POST /admin/login. */
export async function adminJwt(request: ReturnType<typeof supertest>, credentials: AdminCredentials): Promise<string> {
  const res = await request.post('/admin/login').send(credentials);
  if (res.status !== 200) throw new Error(`admin login for ${credentials.email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.token as string;
}

/** Logs in through the admin's own login form and waits for the home page. */
export async function loginAdmin(page: Page, baseUrl: string, { email, password }: AdminCredentials): Promise<void> {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/^password/i).fill(password);
  await page.getByRole('button', { name: /login/i }).click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 30_000 });
}
