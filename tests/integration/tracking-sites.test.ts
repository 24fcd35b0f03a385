import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSuperAdmin } from '../helpers/admin';
import { type BootedStrapi, bootStrapi } from '../helpers/strapi';
import { batch, CHROME_UA, newId, touchpointsOf } from '../helpers/tracking';

const CONFIG_SHOP = 'https://config.example.com';

describe('site keys managed in the admin', () => {
  let app: BootedStrapi;
  let jwt: string;
  beforeAll(async () => {
    app = await bootStrapi({ env: { MOAT_SITES: `config_shop=${CONFIG_SHOP}` } });
    const admin = await createSuperAdmin(app.strapi);
    jwt = (await app.request.post('/admin/login').send(admin).expect(200)).body.data.token as string;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const api = (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown) => {
    const req = app.request[method](`/tracking/sites${path}`).set('Authorization', `Bearer ${jwt}`);
    return body === undefined ? req : req.send(body as object);
  };
  const collect = (site: string, origin: string) =>
    app.request
      .post('/moat/collect')
      .set({ Origin: origin, 'User-Agent': CHROME_UA, 'Content-Type': 'text/plain' })
      .send(JSON.stringify(batch(site, newId(), [{ type: 'page_view', url: `${origin}/` }])));

  it('needs an admin login', async () => {
    expect((await app.request.get('/tracking/sites')).status).toBe(401);
    expect((await app.request.post('/tracking/sites').send({ key: 'sneaky_shop', origins: ['https://evil.example'] })).status).toBe(401);
  });

  it('adds a site that collect accepts at once, edits its origins, and removes it', async () => {
    const key = `shop_${newId('').slice(0, 8).replace(/[^A-Za-z0-9]/g, 'x')}`;
    expect((await collect(key, 'https://wp.example.org')).status).toBe(403);

    const created = await api('post', '', { key, origins: [' https://WP.example.org ', 'https://wp.example.org', 'https://*.cdn.example.org'] });
    expect(created.status).toBe(201);
    // trimmed, lower-cased, de-duplicated
    expect(created.body).toEqual({ key, origins: ['https://wp.example.org', 'https://*.cdn.example.org'], managedBy: 'admin' });
    const listed = (await api('get', '')).body.sites;
    expect(listed).toEqual([
      { key: 'config_shop', origins: [CONFIG_SHOP], managedBy: 'config' },
      { key, origins: ['https://wp.example.org', 'https://*.cdn.example.org'], managedBy: 'admin' },
    ]);
    const accepted = await collect(key, 'https://wp.example.org');
    expect(accepted.status).toBe(202);
    expect(await touchpointsOf(app.strapi, { site: key })).toHaveLength(1);
    expect((await collect(key, 'https://eu.cdn.example.org')).status).toBe(202);

    const edited = await api('put', `/${key}`, { origins: ['https://shop.example.net'] });
    expect(edited.status).toBe(200);
    const refused = await collect(key, 'https://wp.example.org');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/not allowed for site/);
    expect((await collect(key, 'https://shop.example.net')).status).toBe(202);

    expect((await api('delete', `/${key}`)).status).toBe(204);
    expect((await collect(key, 'https://shop.example.net')).status).toBe(403);
    expect((await api('get', '')).body.sites.map((s: { key: string }) => s.key)).toEqual(['config_shop']);
    // what was accepted while the site existed is kept
    expect(await touchpointsOf(app.strapi, { site: key })).toHaveLength(3);
  });

  it('keeps every site when several are added at once', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `burst_shop_${i}`);
    const created = await Promise.all(keys.map((key, i) => api('post', '', { key, origins: [`https://burst${i}.example.com`] })));
    expect(created.map((r) => r.status)).toEqual(keys.map(() => 201));
    const listed = (await api('get', '')).body.sites.map((s: { key: string }) => s.key);
    for (const key of keys) expect(listed).toContain(key);
    await Promise.all(keys.map((key) => api('delete', `/${key}`)));
    expect((await api('get', '')).body.sites.map((s: { key: string }) => s.key)).toEqual(['config_shop']);
  });

  it('keeps sites across a restart of the instance (they live in the database)', async () => {
    const key = 'persisted_shop';
    expect((await api('post', '', { key, origins: ['https://persist.example.com'] })).status).toBe(201);
    const sites = app.strapi.plugin('tracking').service('sites');
    sites.stop();
    await sites.start(); // re-reads the store, as another instance does on its refresh
    expect(sites.list().find((s: { key: string }) => s.key === key)).toEqual({ key, origins: ['https://persist.example.com'], managedBy: 'admin' });
    expect((await collect(key, 'https://persist.example.com')).status).toBe(202);
    expect((await api('delete', `/${key}`)).status).toBe(204);
  });

  it('refuses bad input and conflicts with a 4xx that says what is wrong, changing nothing', async () => {
    const cases: Array<[string, 'post' | 'put' | 'delete', string, unknown, number, RegExp]> = [
      ['short key', 'post', '', { key: 'ab', origins: ['https://a.example'] }, 400, /key: must be 4-64 letters/],
      ['no origins', 'post', '', { key: 'no_origins', origins: [] }, 400, /origins: add at least one allowed origin/],
      ['a path', 'post', '', { key: 'with_path', origins: ['https://a.example/shop'] }, 400, /origins\.0: must be an origin like/],
      ['not a URL', 'post', '', { key: 'not_url', origins: ['javascript:alert(1)'] }, 400, /origins\.0: must be an origin/],
      ['wildcard domain', 'post', '', { key: 'broad_tld', origins: ['https://*.com'] }, 400, /origins\.0: too broad: "\*" needs a domain of two or more parts/],
      ['all wildcards', 'post', '', { key: 'broad_all', origins: ['https://*.*'] }, 400, /too broad/],
      ['inner wildcard', 'post', '', { key: 'broad_mid', origins: ['https://shop.*.example.com'] }, 400, /"\*" may only stand in the first part/],
      ['edit to a wildcard', 'put', '/config_shop', { origins: ['https://*.*'] }, 400, /too broad/],
      ['unknown field', 'post', '', { key: 'extra_field', origins: ['https://a.example'], admin: true }, 400, /admin/],
      ['configured key', 'post', '', { key: 'config_shop', origins: ['https://a.example'] }, 409, /already in use/],
      ['edit configured', 'put', '/config_shop', { origins: ['https://a.example'] }, 409, /set in the configuration \(MOAT_SITES\)/],
      ['remove configured', 'delete', '/config_shop', undefined, 409, /set in the configuration/],
      ['edit unknown', 'put', '/nobody_here', { origins: ['https://a.example'] }, 404, /there is no site "nobody_here"/],
      ['remove unknown', 'delete', '/nobody_here', undefined, 404, /there is no site/],
      ['too many origins', 'post', '', { key: 'many_origins', origins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`) }, 400, /at most 20/],
    ];
    for (const [name, method, path, body, status, message] of cases) {
      const res = await api(method, path, body);
      expect([name, res.status]).toEqual([name, status]);
      expect(res.body.error.message, name).toMatch(message);
    }
    expect((await api('post', '', { key: 'dup_shop', origins: ['https://dup.example'] })).status).toBe(201);
    const dup = await api('post', '', { key: 'dup_shop', origins: ['https://other.example'] });
    expect(dup.status).toBe(409);
    expect((await api('get', '')).body.sites.map((s: { key: string; origins: string[] }) => [s.key, s.origins])).toEqual([
      ['config_shop', [CONFIG_SHOP]],
      ['dup_shop', ['https://dup.example']],
    ]);
  });
});
